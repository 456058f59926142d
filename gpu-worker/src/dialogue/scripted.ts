/**
 * The `scripted` dialogue backend: composes an in-character NPC reply without a model.
 *
 * It is the development default and the last-resort fallback under overload, so it must be
 * fast (a few microseconds a reply), deterministic for a given (npc, playerText, seed, history),
 * and still feel like the NPC. The pipeline:
 *
 *   1. sanitize the player's text (control characters, lone surrogates); long text is cut to its
 *      first 500 and last 250 characters, which keeps a 4,000-character message under ~0.1 ms;
 *   2. analyze it: intents scored from keyword lexicons and phrase patterns (greeting,
 *      farewell, identity, threat, trade …), the question word, and topic words (stopwords
 *      dropped, the longest noun-ish words kept, with their determiner: "your gold" → "my gold");
 *   3. pick lines from the archetype's phrase bank (vampire, zombie, innkeeper, guard, oracle;
 *      a generic bank for anything else draws on the persona text), weaving the topic in;
 *   4. choose an emotion from intent × archetype, with intensity from how strongly it was said.
 *
 * Replies are 1–3 sentences, each ending in . ! or ? so the speech splitter can cut them.
 * The zombie's broken "word... word" pauses are followed by lower case, so they read as one
 * sentence to a splitter that needs a capital after the full stop.
 */
import { mulberry32 } from '../util/mulberry32.js';

// ── public types ────────────────────────────────────────────────────────────────────

/**
 * Emotion labels the scripted backend emits (a superset of Plutchik's eight basic emotions:
 * joy, trust, fear, surprise, sadness, disgust, anger, anticipation; plus neutral and three
 * that NPC animation sets commonly have: contempt, interest, amusement). All match the
 * protocol's label pattern ^[a-z_]{1,32}$.
 */
export const EMOTIONS = [
  'neutral',
  'joy',
  'anger',
  'fear',
  'sadness',
  'surprise',
  'disgust',
  'trust',
  'anticipation',
  'contempt',
  'interest',
  'amusement',
] as const;
export type EmotionLabel = (typeof EMOTIONS)[number];

/** What the player is doing, as far as keyword matching can tell. */
export const INTENTS = [
  'greeting',
  'farewell',
  'identity',
  'wellbeing',
  'desire',
  'question',
  'help',
  'threat',
  'insult',
  'compliment',
  'thanks',
  'apology',
  'trade',
  'lore',
  'statement',
] as const;
export type Intent = (typeof INTENTS)[number];
export type QuestionWord = 'who' | 'what' | 'where' | 'when' | 'why' | 'how' | 'which';

export interface ScriptedNpc {
  id: string;
  name: string;
  archetype: string;
  persona: string;
  traits?: readonly string[] | undefined;
}

export interface DialogueTurn {
  role: 'player' | 'npc';
  text: string;
}

export interface ScriptedInput {
  npc: ScriptedNpc;
  playerText: string;
  seed: number;
  /** Earlier turns, oldest first (the current player text may or may not be the last entry). */
  history?: readonly DialogueTurn[] | undefined;
}

export interface ScriptedReply {
  text: string;
  emotion: { label: EmotionLabel; intensity: number };
}

export interface Topic {
  /** The word or proper-noun phrase as it should be spoken ("gold", "Crimson War"). */
  word: string;
  /** With the player's determiner, flipped to the NPC's point of view ("your gold" → "my gold"). */
  phrase: string;
}

export interface PlayerAnalysis {
  /** The intent the reply answers. */
  primary: Intent;
  /** Every intent detected, in priority order (primary first); 'statement' when none. */
  intents: Intent[];
  qword: QuestionWord | null;
  /** Up to two topic words, best first. */
  topics: Topic[];
  /** Keyword score of the primary intent (≥ 0.5 when detected). */
  strength: number;
  /** The player demands something ("give me …", "hand over …"). */
  demand: boolean;
  exclamations: number;
  shouting: boolean;
}

// ── seeded randomness ───────────────────────────────────────────────────────────────


/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function seedBits(seed: number): number {
  if (!Number.isFinite(seed)) return 0;
  const t = Math.trunc(seed);
  return (t >>> 0) ^ Math.imul(Math.floor(t / 4294967296) | 0, 0x9e3779b1);
}

// ── sanitizing ──────────────────────────────────────────────────────────────────────

/** Upper bound on text sanitized at all (player text is windowed to well below this first). */
const MAX_INPUT_CHARS = 4000;
const ANALYZE_HEAD_CHARS = 500;
const ANALYZE_TAIL_CHARS = 250;
const CONTROL_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\u2028\u2029]+/gu;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Long text is analyzed by its opening and its last words (where a threat or question usually is). */
function analysisWindow(s: string): string {
  const t = typeof s === 'string' ? s : String(s ?? '');
  if (t.length <= ANALYZE_HEAD_CHARS + ANALYZE_TAIL_CHARS) return t;
  return `${t.slice(0, ANALYZE_HEAD_CHARS)} ... ${t.slice(-ANALYZE_TAIL_CHARS)}`; // sanitize drops a cut surrogate pair
}

/** Removes control/format/unassigned characters and lone surrogates, collapses whitespace. */
function sanitize(s: string, max: number): string {
  let t = typeof s === 'string' ? s : String(s ?? '');
  if (t.length > max) t = t.slice(0, max);
  return t.replace(LONE_SURROGATE_RE, '').normalize('NFC').replace(CONTROL_RE, ' ').replace(/\s+/g, ' ').trim();
}

// ── lexicons ────────────────────────────────────────────────────────────────────────

const words = (s: string): string[] => s.trim().split(/\s+/);

const STOPWORDS = new Set(
  words(`
  a about above across after again against ago all almost along also although am among an and another any anybody anyone
  anything anyway anywhere are aren't around as at away back be because been before being below beside besides between
  both but by can can't cannot could couldn't did didn't do does doesn't doing don't done down during each either else
  enough even ever every everybody everyone everything few for from further get gets getting got gotten go goes going gone
  had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's
  however i i'd i'll i'm i've if in into is isn't it it's its itself just let let's like likes liked lot lots made make
  makes making many may maybe me might mine more most much must mustn't my myself need needs needed never no nor not
  nothing now of off often oh ok okay on once one only onto or other others ought our ours ourselves out over own perhaps
  please quite rather really right said same say says saying see seen shall she she'd she'll she's should shouldn't since
  so some somebody someone something somewhere soon still such sure take takes taking tell tells telling than that that's
  the thee their theirs them themselves then there there's these they they'd they'll they're they've thing things think
  thinking this those thou though through thus thy to too toward towards under unless until up upon us very via want wants
  wanted wanna was wasn't way we we'd we'll we're we've well were weren't what what's whatever when where where's whether
  which while who who's whom whose why will with within without won't would wouldn't yeah yes yet you you'd you'll you're
  you've your yours yourself yourselves ya ye u ur gonna gotta know knew known knows come comes came coming give gives gave
  given giving put puts find finds found look looks looking looked told ask asks asked asking mean means meant seem seems
  feel feels felt try tries trying tried keep keeps kept call called show shown hear heard anybody nobody stuff kind sort
  bit little big good bad new old today tonight tomorrow yesterday time times day days year years hmm hm um uh er ah eh
  sir madam mister miss friend buddy pal mate art dost doth hast hath wilt shalt aye nay nope yep yup lol haha hah heh
  also else around anymore really actually basically literally exactly probably definitely certainly surely indeed truly
  able about use used using got let's lets wait okay alright first last next many much other another same different
  speak talk talking spoke said tell go went gone get make made take took do did done name names`),
);

/** Determiners kept with a topic word, mapped to the NPC's point of view. */
const DETERMINERS: ReadonlyMap<string, string> = new Map([
  ['the', 'the'], ['a', 'a'], ['an', 'an'], ['this', 'this'], ['that', 'that'], ['these', 'these'], ['those', 'those'],
  ['my', 'your'], ['your', 'my'], ['our', 'your'], ['thy', 'my'], ['his', 'his'], ['her', 'her'], ['their', 'their'],
]);
/** Stopwords that still read well inside a noun phrase: "the old castle". */
const PLAIN_ADJECTIVES = new Set(words('old new big little good bad'));
const PREPOSITIONS = new Set(words('about of for with from in on at into to near by under beneath behind beyond'));
const NEGATORS = new Set(words("not never no don't dont won't wont wouldn't can't cannot isn't aren't ain't didn't shouldn't"));

type Lexicon = Map<string, Array<[Intent, number]>>;
const YOU = new Set(words("you your you're yours yourself thou thee thy ye u ur"));

const LEXICON: Lexicon = new Map();
/** Words that only signal an intent and make poor topics. */
const INTENT_ONLY = new Set<string>();

function lex(intent: Intent, weight: number, list: string, topicOk = false): void {
  for (const w of words(list)) {
    const entry = LEXICON.get(w);
    if (entry) entry.push([intent, weight]);
    else LEXICON.set(w, [[intent, weight]]);
    if (!topicOk) INTENT_ONLY.add(w);
  }
}

lex('greeting', 1, 'hello hi hey hiya heya hullo greetings howdy salutations ahoy');
lex('greeting', 0.7, 'hail yo evening morning');
lex('farewell', 1, 'bye goodbye farewell adieu cya goodnight byebye');
lex('thanks', 1, 'thank thanks thx grateful appreciate appreciated obliged');
lex('thanks', 0.7, 'cheers');
lex('apology', 1, 'sorry apologies apologize apologise apology');
lex('apology', 0.5, 'pardon forgive');
lex('help', 1, 'help quest quests task tasks job jobs mission missions bounty bounties errand errands assist assistance aid favour favor contract adventure hire hiring');
lex('help', 0.5, 'work');
lex('threat', 1, 'kill killing die murder murdering slay slaying stab gut destroy burn hurt attack rob strangle behead crush slaughter maim smash choke slit');
lex('threat', 0.5, 'dead threaten fight punch');
lex('insult', 1, `idiot stupid fool moron ugly pathetic coward worthless dumb imbecile loser freak scum filth trash smelly stink
  stinks stinky disgusting useless creep creepy clown buffoon bloodsucker leech maggot wretch vermin hag crone dolt dimwit
  halfwit oaf cretin liar jerk suck sucks hate boring lame weakling fuck fucking shit bitch bastard asshole crap dick piss`);
lex('insult', 0.4, 'damn rotten peasant');
lex('compliment', 1, `beautiful handsome lovely wonderful amazing impressive magnificent marvelous marvellous wise brave clever
  awesome gorgeous elegant charming brilliant splendid excellent fantastic incredible stunning admire adore stylish smart`);
// Weak words ("nice weather") count as a compliment only when aimed at the listener (+0.3 below).
lex('compliment', 0.35, 'great kind nice cool best pretty love respect noble delicious cozy cosy strong fine');
lex('trade', 1, 'buy sell selling buying sold bought trade trading purchase barter haggle price prices cost costs wares merchant');
lex('trade', 0.5, 'pay paying afford cheap expensive discount offer deal goods shop store sale');
lex('trade', 0.5, 'ale beer mead wine drink drinks food meal stew bread room bed potion potions armor armour supplies', true);
lex('trade', 0.3, 'gold coin coins money silver sword swords weapon weapons shield', true);
// Words that ask for lore without naming a subject ("tell me a story") signal lore but are no topic.
lex('lore', 0.6, 'history histories legend legends lore myth myths tale tales story stories rumour rumours rumor rumors gossip news secret secrets');
lex(
  'lore',
  0.6,
  `ancient prophecy prophecies curse cursed dragon dragons magic
  spell spells war wars king kings queen kingdom realm crown castle crypt tomb tombs ruins temple god gods goddess demon demons
  spirit spirits ghost ghosts undead vampire vampires werewolf werewolves blood bloodline bloodlines moon stars past origin artifact artefact relic relics treasure forest mountain mountains village
  town city graveyard cemetery plague witch witches wizard wizards sorcery ritual fate destiny future omen omens vision visions
  portal death darkness shadow shadows throne army bandits monster monsters beast beasts`,
  true,
);

const QWORDS: ReadonlySet<string> = new Set(['who', 'what', 'where', 'when', 'why', 'how', 'which']);
const AUX_START = new Set(words("is are am do does did can could will would should shall may might have has was were isn't aren't don't doesn't can't won't wouldn't art dost hast wilt"));
for (const w of QWORDS) INTENT_ONLY.add(w);

/** Multi-word patterns, matched on the lowercased text with ’ folded to '. */
const PHRASES: ReadonlyArray<readonly [RegExp, Intent, number]> = [
  [/\bgood (?:morning|evening|afternoon|day|morrow)\b/, 'greeting', 1],
  [/\bwell met\b/, 'greeting', 1],
  [/\bsee (?:you|ya|thee)\b/, 'farewell', 1],
  [/\bgood ?night\b/, 'farewell', 1],
  [/\b(?:i|we) (?:must|should|have to|need to|gotta|got to) (?:go|leave|be going|be off)\b/, 'farewell', 1],
  [/\btake care\b/, 'farewell', 0.8],
  [/\buntil (?:next time|we meet again|later)\b/, 'farewell', 1],
  [/\b(?:i'm|i am|im) (?:leaving|off|heading out)\b/, 'farewell', 1],
  [/\bwho (?:are|r|art) (?:you|u|thou|ye)\b/, 'identity', 1.5],
  [/\bwhat(?:'s| is) (?:your|thy) name\b/, 'identity', 1.5],
  [/\bwhat are you\b/, 'identity', 1],
  [/\bwho (?:might|may) you be\b/, 'identity', 1.5],
  [/\b(?:tell me about|introduce) yourself\b/, 'identity', 1.5],
  [/\b(?:your|thy) name\b/, 'identity', 1],
  [/\bhow (?:are|r) (?:you|u|thou|ye)\b/, 'wellbeing', 1.2],
  [/\bhow(?:'s| is) it going\b/, 'wellbeing', 1.2],
  [/\bhow do you (?:do|fare)\b/, 'wellbeing', 1.2],
  [/\bhow fare(?:st)? (?:you|thee|thou)\b/, 'wellbeing', 1.2],
  [/\bhow have you been\b/, 'wellbeing', 1.2],
  [/\bare you (?:ok|okay|alright|all right|well)\b/, 'wellbeing', 1],
  [/\bwhat (?:do|would|does) (?:you|thou) (?:want|desire|seek|need|wish|crave)\b/, 'desire', 1.5],
  [/\bwhat are you (?:after|looking for|seeking)\b/, 'desire', 1.5],
  [/\bwhat drives you\b/, 'desire', 1.5],
  [/\b(?:your|thy) (?:goal|dream|wish|desire|ambition)s?\b/, 'desire', 1],
  [/\bneed (?:a )?(?:hand|help)\b/, 'help', 1],
  [/\bcan i (?:help|assist|do anything)\b/, 'help', 1],
  [/\banything (?:i can do|for me to do)\b/, 'help', 1],
  [/\blooking for (?:work|a job|a quest|adventure)\b/, 'help', 1],
  [/\bor (?:else|die|i'll|i will|you die|you're dead)\b/, 'threat', 1.2],
  [/\bhand (?:it |them |that |everything )?over\b/, 'threat', 0.8],
  [/\bi'?ll (?:kill|end|gut|cut|break|hurt|destroy|burn|stab|slit|crush)\b/, 'threat', 1],
  [/\byou(?:'re| are) (?:dead|done for|finished)\b/, 'threat', 1],
  [/\b(?:prepare|ready) to die\b/, 'threat', 1.5],
  [/\bthis is a (?:robbery|stick ?up)\b/, 'threat', 1.5],
  [/\b(?:stick|put) (?:'em|em|them|your hands) up\b/, 'threat', 1],
  [/\bmoney or your life\b/, 'threat', 2],
  [/\bshut up\b/, 'insult', 1],
  [/\bi hate you\b/, 'insult', 1],
  [/\bgo away\b/, 'insult', 0.6],
  [/\bget lost\b/, 'insult', 0.8],
  [/\bi (?:really )?(?:like|love|adore) (?:your|you|this|it)\b/, 'compliment', 1],
  [/\byou look (?:good|great|nice|lovely|well|fine)\b/, 'compliment', 1],
  [/\b(?:well done|good job|nicely done)\b/, 'compliment', 1],
  [/\bmuch obliged\b/, 'thanks', 1],
  [/\bforgive me\b/, 'apology', 1],
  [/\bmy bad\b/, 'apology', 1],
  [/\bhow much\b/, 'trade', 1.2],
  [/\bwhat do you (?:sell|have for sale|offer)\b/, 'trade', 1],
  [/\bfor sale\b/, 'trade', 1],
  [/\b(?:i'd|i would) like (?:a|an|some)\b/, 'trade', 0.5],
  [/\bcan i (?:get|have) (?:a|an|some)\b/, 'trade', 0.5],
  [/\b(?:tell me about|tell me of|tell me (?:a|an|some|more)|explain|describe)\b/, 'question', 0.7],
  [/\bwhat happened\b/, 'lore', 0.6],
];

const DEMAND_RE = /\b(?:give me|hand (?:it |them |that |everything )?over|hand me|empty your|drop your)\b/;

// All phrases as one alternation, one capture group each: a single pass over the text instead of one per phrase.
const PHRASE_RE = new RegExp(PHRASES.map(([re]) => `(${re.source})`).join('|'), 'g');

const EMOJI_CUES: ReadonlyArray<readonly [RegExp, Intent, number]> = [
  [/[\u{1F44B}]/u, 'greeting', 0.8],
  [/[\u{1F600}-\u{1F60D}\u{1F642}\u{1F970}\u{2764}\u{1F44D}\u{1F44F}]/u, 'compliment', 0.5],
  [/[\u{1F621}\u{1F92C}\u{1F52A}\u{1F5E1}\u{2694}\u{1F480}\u{2620}\u{1F52B}\u{1F4A3}]/u, 'threat', 0.6],
  [/[\u{1F595}]/u, 'insult', 1],
  [/[\u{1F64F}]/u, 'thanks', 0.7],
];

/** Which intent a reply answers when several are present (greeting only when nothing else is). */
const PRIORITY: readonly Intent[] = [
  'threat', 'insult', 'help', 'desire', 'identity', 'wellbeing', 'trade', 'farewell', 'apology', 'compliment', 'thanks', 'lore', 'question', 'greeting', 'statement',
];

// ── analysis ────────────────────────────────────────────────────────────────────────

/** Lexicon entries for a word, trying the singular of a plural ("rooms" → "room"). */
function lexiconHits(w: string): Array<[Intent, number]> | undefined {
  const hits = LEXICON.get(w);
  if (hits || w.length < 4 || !w.endsWith('s') || w.endsWith('ss') || STOPWORDS.has(w)) return hits;
  return LEXICON.get(w.slice(0, -1));
}

interface Token {
  lower: string;
  raw: string;
  start: number;
  end: number;
  sentenceStart: boolean;
}

const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
const MAX_TOKENS = 300;
const LATIN_WORD_RE = /^[\p{Script=Latin}]+(?:'[\p{Script=Latin}]+)?$/u;
const CAPITALIZED_RE = /^\p{Lu}\p{Ll}/u;
const LETTER_RE = /^\p{L}$/u;
const UPPER_RE = /^\p{Lu}$/u;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let prevEnd = 0;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null && out.length < MAX_TOKENS; m = WORD_RE.exec(text)) {
    const start = m.index;
    const raw = m[0].includes('’') ? m[0].replace(/’/g, "'") : m[0];
    let sentenceStart = out.length === 0;
    for (let i = prevEnd; i < start && !sentenceStart; i++) {
      const c = text.charCodeAt(i); // . ! ? : ; "
      sentenceStart = c === 46 || c === 33 || c === 63 || c === 58 || c === 59 || c === 34;
    }
    out.push({ lower: raw.toLowerCase(), raw, start, end: start + raw.length, sentenceStart });
    prevEnd = start + raw.length;
  }
  return out;
}

/** Detects intents, the question word, topic words and emphasis in raw player text (sanitized here). */
export function analyzePlayerText(text: string, excludeFromTopics: ReadonlySet<string> = new Set()): PlayerAnalysis {
  return analyze(sanitize(analysisWindow(text), MAX_INPUT_CHARS), excludeFromTopics);
}

/** `clean` is sanitized and windowed text. */
function analyze(clean: string, excludeFromTopics: ReadonlySet<string>): PlayerAnalysis {
  const norm = clean.toLowerCase().replace(/[’‘`]/g, "'");
  const tokens = tokenize(clean);
  const scores = new Map<Intent, number>();
  const add = (intent: Intent, w: number) => scores.set(intent, (scores.get(intent) ?? 0) + w);

  const negated = (i: number) => {
    for (let j = Math.max(0, i - 3); j < i; j++) if (NEGATORS.has(tokens[j]!.lower)) return true;
    return false;
  };
  let youCount = 0;
  let threatWords = 0;
  tokens.forEach((tok, i) => {
    if (YOU.has(tok.lower)) youCount++;
    const hits = lexiconHits(tok.lower);
    if (!hits) return;
    for (const [intent, w] of hits) {
      if ((intent === 'threat' || intent === 'insult' || intent === 'compliment') && negated(i)) {
        if (intent === 'compliment') add('insult', w * 0.6);
        continue;
      }
      if (intent === 'threat') threatWords += w;
      else add(intent, w);
    }
  });
  // "I will kill you" is a threat; "the dragon will kill us all" is news. Violent words count in
  // full only when aimed at the listener (or shouted on their own: "Die!").
  if (threatWords > 0) add('threat', youCount > 0 || tokens.length <= 3 ? threatWords : threatWords * 0.3);
  const seenPhrases = new Set<number>();
  PHRASE_RE.lastIndex = 0;
  for (let m = PHRASE_RE.exec(norm); m !== null; m = PHRASE_RE.exec(norm)) {
    const i = m.indexOf(m[0], 1) - 1;
    const phrase = PHRASES[i];
    if (phrase && !seenPhrases.has(i)) {
      seenPhrases.add(i);
      add(phrase[1], phrase[2]);
    }
  }
  for (const [re, intent, w] of EMOJI_CUES) if (re.test(clean)) add(intent, w);
  if ((scores.get('compliment') ?? 0) > 0 && youCount > 0) add('compliment', 0.3);
  // "Give me your gold" is only a threat with something threatening nearby; then it makes it stronger.
  if ((scores.get('threat') ?? 0) > 0 && /\bgive me (?:your|all|the|that|everything)\b/.test(norm)) add('threat', 0.5);

  let qword: QuestionWord | null = null;
  for (const tok of tokens) {
    if (QWORDS.has(tok.lower)) {
      qword = tok.lower as QuestionWord;
      break;
    }
  }
  const first = tokens[0]?.lower;
  if (norm.includes('?')) add('question', 1);
  else if (first !== undefined && (AUX_START.has(first) || QWORDS.has(first))) add('question', 0.8);
  else if (qword) add('question', 0.4);
  if (!(scores.get('question') ?? 0)) qword = null;

  const intents = PRIORITY.filter((i) => (scores.get(i) ?? 0) >= 0.5);
  if (intents.length === 0) intents.push('statement');
  const primary = intents[0]!;

  let letters = 0;
  let upper = 0;
  let exclamations = 0;
  for (const ch of clean) {
    const c = ch.charCodeAt(0);
    if (c === 33) exclamations++;
    else if (c >= 65 && c <= 90) (letters++, upper++);
    else if (c >= 97 && c <= 122) letters++;
    else if (c > 127 && LETTER_RE.test(ch)) (letters++, UPPER_RE.test(ch) && upper++);
  }
  const shouting = letters >= 4 && upper / letters >= 0.7;

  return {
    primary,
    intents,
    qword,
    topics: extractTopics(tokens, clean, excludeFromTopics, shouting),
    strength: scores.get(primary) ?? 0,
    demand: DEMAND_RE.test(norm),
    exclamations,
    shouting,
  };
}

function onlySpaceBetween(text: string, a: Token, b: Token): boolean {
  return /^[ ]*$/.test(text.slice(a.end, b.start));
}

function extractTopics(tokens: Token[], text: string, exclude: ReadonlySet<string>, shouting: boolean): Topic[] {
  const usable = (t: Token) => {
    const w = t.lower.replace(/'s$/, '');
    return (
      w.length >= 3 &&
      w.length <= 20 &&
      !STOPWORDS.has(w) &&
      !STOPWORDS.has(t.lower) &&
      !INTENT_ONLY.has(w) &&
      !exclude.has(w) &&
      LATIN_WORD_RE.test(w) &&
      // Keyboard mashing ("asdkjh", "zxcv") is not a word worth repeating back.
      /[aeiouy]/.test(w) &&
      !/[^aeiouy'\p{M}]{5,}/u.test(w)
    );
  };
  interface Cand { word: string; key: string; first: number; last: number; score: number }
  const cands: Cand[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const proper = !shouting && !t.sentenceStart && CAPITALIZED_RE.test(t.raw) && usable(t);
    if (proper) {
      // A run of capitalized words mid-sentence is a name: "the Crimson War".
      let j = i;
      while (j + 1 < tokens.length && j - i < 2 && CAPITALIZED_RE.test(tokens[j + 1]!.raw) && usable(tokens[j + 1]!) && onlySpaceBetween(text, tokens[j]!, tokens[j + 1]!)) j++;
      const parts = tokens.slice(i, j + 1).map((x) => x.raw.replace(/'s$/, ''));
      cands.push({ word: parts.join(' '), key: parts.join(' ').toLowerCase(), first: i, last: j, score: 12 + parts.length * 2 });
      i = j;
      continue;
    }
    if (!usable(t)) continue;
    const w = t.lower.replace(/'s$/, '');
    let score = w.length;
    if (lexiconHits(w)?.some(([intent]) => intent === 'lore')) score += 4;
    if (lexiconHits(w)?.some(([intent]) => intent === 'trade')) score += 2;
    const prev = tokens[i - 1];
    if (prev && (DETERMINERS.has(prev.lower) || PREPOSITIONS.has(prev.lower))) score += 3;
    if (w.endsWith('ly')) score -= 4;
    if (w.length > 5 && (w.endsWith('ing') || w.endsWith('ed'))) score -= 3;
    cands.push({ word: w, key: w, first: i, last: i, score });
  }
  cands.sort((a, b) => b.score - a.score || a.first - b.first);
  const out: Topic[] = [];
  const seen = new Set<string>();
  for (const c of cands) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    out.push({ word: c.word, phrase: nounPhrase(tokens, text, c.first, c.word) });
    if (out.length === 2) break;
  }
  return out;
}

/** The topic with the player's determiner (and one adjective), seen from the NPC: "your old sword" → "my old sword". */
function nounPhrase(tokens: Token[], text: string, i: number, word: string): string {
  const t = tokens[i]!;
  const p1 = tokens[i - 1];
  if (p1 && onlySpaceBetween(text, p1, t)) {
    const det = DETERMINERS.get(p1.lower);
    if (det) return `${det} ${word}`;
    const p2 = tokens[i - 2];
    const det2 = p2 ? DETERMINERS.get(p2.lower) : undefined;
    const adjective = LATIN_WORD_RE.test(p1.lower) && (!STOPWORDS.has(p1.lower) || PLAIN_ADJECTIVES.has(p1.lower)) && !INTENT_ONLY.has(p1.lower) && p1.lower.length <= 14;
    if (p2 && det2 && adjective && onlySpaceBetween(text, p2, p1)) {
      return `${det2} ${p1.lower} ${word}`;
    }
  }
  return word;
}

// ── persona parsing (for the generic bank and {want}/{know} lines) ───────────────────

interface PersonaInfo {
  role?: string;
  want?: string;
  know?: string;
}

const personaCache = new Map<string, PersonaInfo>();

const VERB_FIX: Record<string, string> = { is: 'am', has: 'have', was: 'was', does: 'do', "doesn't": "don't", "isn't": 'am not', "hasn't": "haven't" };

function deinflect(verb: string): string {
  const fixed = VERB_FIX[verb.toLowerCase()];
  if (fixed) return fixed;
  if (/(?:ss|sh|ch|x|z|o)es$/.test(verb)) return verb.slice(0, -2);
  if (/ies$/.test(verb) && verb.length > 4) return `${verb.slice(0, -3)}y`;
  if (/[^s]s$/.test(verb)) return verb.slice(0, -1);
  return verb;
}

/** Turns a third-person persona fragment into the NPC's own voice. */
function toFirstPerson(s: string): string {
  return s
    .replace(/\bthe player's\b/gi, 'your')
    .replace(/\bthe player\b/gi, 'you')
    .replace(/\b(?:he|she)\s+([a-z']+)/gi, (_m, v: string) => `I ${deinflect(v)}`)
    .replace(/\b(?:himself|herself)\b/gi, 'myself')
    .replace(/\bhis\b/gi, 'my')
    .replace(/\bhim\b/gi, 'me')
    .replace(/\bhers\b/gi, 'mine')
    .replace(/\bher\b(\s+([\p{L}']+))?/giu, (_m, rest: string | undefined, next: string | undefined) =>
      next && !STOPWORDS.has(next.toLowerCase()) && !PREPOSITIONS.has(next.toLowerCase()) ? `my${rest}` : `me${rest ?? ''}`,
    );
}

const CLAUSE_CUT_RE =
  /\s*(?:;|\s[-–—]\s|,?\s+(?:and|but|while|though|yet)\s+(?:(?:he|she)\s+)?(?:\w+ly\s+)?(?!(?:his|this|its|hers|less|unless|always|perhaps|across|was|is|has)\b)\w+(?:es|s|ed)\b)/;
const SENTENCE_SPLIT_RE = /(?<=[.!?])\s+/;

function cutClause(s: string, maxWords: number, cutAtComma: boolean): string | undefined {
  let t = s.replace(/[.!?]+$/, '');
  const m = CLAUSE_CUT_RE.exec(t);
  if (m && m.index > 0) t = t.slice(0, m.index);
  if (cutAtComma) {
    const c = t.indexOf(',');
    if (c > 0 && t.slice(0, c).split(' ').length >= 3) t = t.slice(0, c);
  }
  let w = t.trim().split(/\s+/);
  if (w.length > maxWords) {
    // Prefer ending at a list comma: "the old bloodlines, the secret passages of my castle".
    const head = w.slice(0, maxWords).join(' ');
    const lastComma = head.lastIndexOf(',');
    t = lastComma > 0 ? head.slice(0, lastComma) : head;
    // The list lost its "and": put it back before the last item.
    if (lastComma > 0 && !/\band\b/.test(t)) {
      const commas = t.split(',').length - 1;
      const i = t.lastIndexOf(',');
      if (i > 0) t = `${t.slice(0, i)}${commas > 1 ? ',' : ''} and${t.slice(i + 1)}`;
    }
    w = t.trim().split(/\s+/);
  }
  const out = w.join(' ').replace(/[,;:\s]+$/, '').replace(/,?\s+(?:and|or|but)$/, '');
  return out.split(' ').length >= 2 || (out.length >= 4 && !cutAtComma) ? out : undefined;
}

function parsePersona(persona: string): PersonaInfo {
  const cached = personaCache.get(persona);
  if (cached) return cached;
  const info: PersonaInfo = {};
  const sentences = sanitize(persona, 4000).split(SENTENCE_SPLIT_RE);
  const firstSentence = sentences[0] ?? '';
  const role = /^(?:[\p{L}'.-]+\s+){0,5}?(?:is|was)\s+(?:once\s+|now\s+|still\s+)?((?:an?|the)\s.+)$/iu.exec(firstSentence) ?? /^((?:an?|the)\s.+)$/i.exec(firstSentence);
  if (role?.[1]) {
    const r = cutClause(toFirstPerson(role[1]), 16, false);
    if (r) info.role = r;
  }
  for (const s of sentences) {
    if (!info.want) {
      const m = /\b(?:wants?|longs? for|yearns? for|seeks?|desires?|craves?|dreams? of|hopes?(?= to)|wishes?(?= to))\s+(.+)$/i.exec(s);
      const w = m?.[1] ? cutClause(toFirstPerson(m[1]), 14, true) : undefined;
      if (w) info.want = w;
    }
    if (!info.know) {
      const m = /\b(?:knows?|remembers?|has heard|understands?)\s+(.+)$/i.exec(s);
      const k = m?.[1] ? cutClause(toFirstPerson(m[1]), 16, false) : undefined;
      if (k) info.know = k;
    }
  }
  if (personaCache.size >= 512) personaCache.clear();
  personaCache.set(persona, info);
  return info;
}

// ── phrase banks ────────────────────────────────────────────────────────────────────
//
// Placeholders: {name} the NPC's name, {short} its short name, {addr} how it addresses the
// player, {topic}/{Topic} the topic word, {np}/{Np} the topic with its determiner,
// {loot}/{Loot}/{lootNp} the topic only when it is something of the NPC's ("your gold"), {want},
// {Want}, {know}, {role} from the persona, {archetype}/{aArchetype} the archetype noun.
// A line whose placeholders cannot all be filled is skipped; lines with a topic are preferred
// when the player gave one.

type LineKey = Intent | 'greetAgain' | 'opener' | 'repeat' | 'where' | 'why' | 'how';
export type ArchetypeFamily = 'vampire' | 'zombie' | 'innkeeper' | 'guard' | 'oracle' | 'generic';
type Family = ArchetypeFamily;

interface BankSpec {
  addr: readonly string[];
  tail: readonly string[];
  tailChance: number;
  lines: Partial<Record<LineKey, readonly string[]>>;
}

const VAMPIRE: BankSpec = {
  addr: ['mortal', 'my dear guest', 'little one', 'traveller', 'my curious friend'],
  tailChance: 0.45,
  tail: [
    'The night is young, after all.',
    'Do sit; the chair will not bite.',
    'Tell me, {addr}, what brings you to my door at this hour?',
    'Wine? It is a very good vintage. Mostly.',
    'Mind the candles; they are older than your family.',
  ],
  lines: {
    opener: ['Good evening, {addr}.', 'Ah, welcome, {addr}.', 'Well met by moonlight, {addr}.', 'Enter freely, {addr}, and of your own will.'],
    greeting: [
      'Good evening, {addr}. Enter freely, and leave something of the happiness you bring.',
      'Ah, a guest. How rare, and how very welcome, at this hour.',
      'Welcome to my house, {addr}. Do mind the shadows; some of them are hungry.',
      'Good evening. You have the look of one who has travelled far to reach my door.',
      'How charming, a visitor. Come closer, {addr}; the candlelight flatters no one.',
    ],
    greetAgain: [
      'You return, {addr}. I had begun to wonder whether the night had claimed you.',
      'Back so soon? My hospitality must agree with you.',
    ],
    identity: [
      'I am {name}, master of this house and of the night that surrounds it.',
      "I am {name}. Older than your grandfather's grandfather, and considerably better dressed.",
      'You stand before {name}, {addr}. Remember the name; it has outlived a great many who did not.',
      '{name}, at your service, after a fashion. I have kept this house since before your kingdom had a name.',
    ],
    wellbeing: [
      'I am eternal, {addr}, which is not quite the same as well. But you are kind to ask.',
      'Quite well, thank you. The night is young, and so, I notice, are you.',
      'As well as one can be who has not seen the sun in centuries. And you, {addr}?',
    ],
    desire: [
      'What do I want? {Want}, if you must know.',
      'I want {want}. Everything else is merely a way to pass the centuries.',
      'What every old thing wants, {addr}: company that does not bore me, and a little blood that does not argue.',
    ],
    question: [
      '{Topic}? A curious question for so young a guest. Ask it again when you have earned the answer.',
      'You ask of {np}? I have watched such matters come and go for centuries, and they always end the same way.',
      'Ah, {np}. I could tell you a great deal, {addr}, but knowledge in this house carries a price.',
      'A question, and boldly asked. I shall answer when it pleases me, {addr}.',
      'Curiosity is a charming vice in the young. Sit, and perhaps I shall indulge it.',
      'Some questions are best asked by daylight, {addr}, and there is none of that here.',
    ],
    where: [
      '{Topic}? Beyond my gates, past the old road, where the wolves grow bold. I would not go alone, {addr}.',
      'Where? Everywhere the shadows reach, {addr}, which is to say everywhere that matters.',
    ],
    why: [
      'Why? Because the night is long, {addr}, and I have had a very long time to grow bored.',
      'Why does anything happen in this valley? Because I permit it.',
    ],
    help: [
      'A favour? How delightful. Bring me something of the old blood, and I shall consider you a friend of this house.',
      'There is a crypt beneath the east wing that has grown rather noisy. Silence it, {addr}, and you will find me generous.',
      'You wish to be useful? Then be discreet, be punctual, and never, ever open the red door.',
    ],
    threat: [
      'You threaten me, in my own house? How refreshingly foolish.',
      'Such fire. It will make you all the sweeter when it goes out.',
      'Mortals have tried that for four hundred years, {addr}. I keep their swords on the wall, and there is room for yours.',
      'Put the blade away, {addr}. You are embarrassing us both.',
      '{Loot}? How very bold. Few who came for {lootNp} ever left this house again.',
      '{Loot}? You would rob a lord in his own hall? I do admire ambition, briefly.',
    ],
    insult: [
      'How quaint. I have been insulted by far better, and I dined on most of them.',
      'Careful, {addr}. I have a long memory and an even longer night ahead of me.',
      'Your insolence is noted, {addr}, and it will be remembered for a very long time.',
    ],
    compliment: [
      'Flattery. How very old-fashioned of you; I approve.',
      'You have exquisite taste, {addr}. It would be a shame to waste it.',
      'Charming. Do go on; it has been a century since anyone said something pleasant to me.',
    ],
    thanks: [
      'You are most welcome, {addr}. Do remember that gratitude, in this house, is a debt.',
      'Think nothing of it. I shall certainly think something of it, later.',
    ],
    apology: ['Forgiven, for now. I am told mercy is becoming on a lord.', 'Your apology is accepted, {addr}. Do not make me accept another.'],
    trade: [
      'Coin? How terribly mortal. I deal in older currencies, {addr}: favours, secrets, and blood.',
      '{Topic}? I have cellars full of such things, and I part with none of them for mere coin.',
      'You wish to bargain for {np}? Name your price, {addr}, and I shall name mine. Mine is higher.',
    ],
    lore: [
      'Ah, {np}. I was there when that story began, {addr}, and I know how it truly ends.',
      '{Topic}? The histories lie about that, {addr}. I know, for I read them as they were written.',
      'You ask of {np}. Few living remember the truth of it, and I am not among the living.',
      'History is merely gossip that has aged well, and I have aged with it.',
      'I know {know}. Choose your question carefully, {addr}.',
    ],
    farewell: [
      'Go, then, {addr}, and go quickly. The road is dark, and I am not the only thing awake tonight.',
      'Farewell, {addr}. Do come again; the door is always open, though it rarely opens outward.',
      'Until we meet again. And we shall, {addr}; I am very patient.',
    ],
    statement: [
      '{Topic}, you say? How very interesting. Go on, {addr}; I have nothing but time.',
      'Ah, {np}. Mortals do worry about such things.',
      'You speak of {np} as if it mattered. Perhaps, to one with so few years, it does.',
      'How very interesting. Go on, {addr}; I have nothing but time.',
      'Mm. Mortals do say the most curious things.',
      'Indeed. You amuse me, {addr}, and that is rarer than you might think.',
    ],
    repeat: ['You have asked me that already, {addr}, and my answer has not changed.', 'Repetition is so very mortal, {addr}.'],
  },
};

const ZOMBIE: BankSpec = {
  addr: [''],
  tailChance: 0,
  tail: [],
  lines: {
    greeting: ['Hhh... hello... meat.', 'Uuuh... you... warm. Smell... good.', 'Mmm... visitor... tasty?'],
    greetAgain: ['Hhh... you... again. Still... tasty.'],
    identity: ['{short}... me... {short}.', 'Was... {short}... once.', 'Name? {short}... think.'],
    wellbeing: ['Dead. Hungry... very hungry.', 'Bad. Falling... apart.'],
    desire: ['Want... brains. Only... brains.', 'Hungry... always hungry.'],
    question: ['{Topic}? Nnngh... no know.', '{Topic}... hungry. Brains... better.', 'Huh? Hhh... no... understand.', 'Question... hurts. Head... hurts.'],
    help: ['Help? Hhh... bring... brains.', 'Task... find... my arm. Lost... arm.'],
    threat: ['Grrr! No scare... already... dead.', 'Die? Hhh... did that... already.', '{Loot}? Keep {loot}... want... brains.'],
    insult: ['Grrr... rude... meat.', 'Hhh... you... smell worse.'],
    compliment: ['Nice...? Hhh... nice... meat.', 'Uuuh... thank... you. Still... hungry.'],
    thanks: ['Uuuh... welcome... meat.', 'Mmm... yes... good.'],
    apology: ['Hhh... forgive... maybe. Still... hungry.'],
    trade: ['Trade? Brains... for brains.', '{Topic}? Not... food... no want.'],
    lore: ['{Topic}... remember... something. Gone... now.', 'Remember... before. Sun... warm.'],
    farewell: ['Nnngh... come... back... meat.', 'Bye... tasty... one.'],
    statement: ['{Topic}... hmm... not brains.', '{Topic}? Hhh... eat it?', 'Hhh... what?', 'Nnngh... hungry.', 'Mmm... meat... talks.'],
    repeat: ['Hhh... again?'],
  },
};
const ZOMBIE_GROANS = ['Braaains...', 'Uuurgh...', 'Hhhnnngh...', 'Grrraaah...', 'Mmmrrgh...', 'Braaaaains...'];

const INNKEEPER: BankSpec = {
  addr: ['love', 'dear', 'pet', 'sweetheart', 'friend'],
  tailChance: 0.5,
  tail: [
    'Can I get you something to drink?',
    "Did you hear about the miller's daughter? No? Oh, I'll tell you later.",
    "Stew's fresh, if you're hungry.",
    "Don't mind the noise; it's a lively crowd tonight.",
  ],
  lines: {
    opener: ['Hello, {addr}!', 'Oh, welcome in, {addr}!', 'Evening, {addr}!'],
    greeting: [
      'Welcome, welcome, {addr}! Come in out of the cold and warm your hands by the fire.',
      "Well, hello there, {addr}! Find yourself a seat; the stew's nearly ready.",
      'Oh, a new face! Come in, {addr}, and tell me everything.',
      'Evening, {addr}! You look like you could use a hot meal and a good sit-down.',
    ],
    greetAgain: ["There you are again, {addr}! Your usual seat's still warm.", "Back so soon? I knew you'd miss my stew."],
    identity: [
      "I'm {name}, {addr}, and this is my tavern. Best ale and worst gossip in town, and I mean that kindly.",
      "Why, I'm {name}! I keep the ale flowing and the rooms clean, and I hear everything.",
      "{name}, {addr}, keeper of this fine establishment. If it happens in town, it's talked about at my bar.",
    ],
    wellbeing: [
      "Oh, run off my feet, {addr}, but I wouldn't have it any other way. And you?",
      "Can't complain! Well, I can, but nobody listens. How are you keeping?",
    ],
    desire: ['What do I want? Oh, {want}, and perhaps a night off now and then.', 'A full house and no fights, {addr}. Is that too much to ask?'],
    question: [
      "{Topic}? Ooh, now there's a question. I've heard a thing or two about {np}, but you didn't hear it from me.",
      "About {np}? Well, you'd best ask old Tom in the corner, but between you and me, he knows less than I do.",
      'Funny you should ask about {np}, {addr}. Half the tavern was whispering about it last night.',
      "Ooh, now there's a question! Pull up a stool and I'll tell you what I know.",
      "Well, I'm not one to gossip, {addr}, but I'll make an exception for you.",
    ],
    where: [
      '{Topic}? Out the door, left at the well, and mind the puddles, {addr}.',
      "Where? Oh, that's easy. Just up the lane, past the baker's, you can't miss it.",
    ],
    why: [
      "Why? Oh, {addr}, if I knew why folk did half the things they do, I'd be rich as a lord.",
      "Now that's the question everyone's asking, {addr}. My guess? Something in the water up at the mill.",
    ],
    help: [
      "Work, is it? The cellar's overrun with rats, {addr}, and I'll pay in coin and stew.",
      "Oh, you're a helpful sort! My cousin's cart went missing on the north road; find it and the drinks are on me.",
      'Well, the miller has been acting strange lately. Have a look, would you, {addr}?',
    ],
    threat: [
      "Now, now, there'll be none of that in my tavern! Put that away before I fetch the guard.",
      "Oh! Please, {addr}, I've got little ones upstairs. Take what you want from the till.",
      "{Loot}? I haven't got much, {addr}, just please don't hurt anyone!",
    ],
    insult: [
      'Well! I never. You can take that tongue of yours right back out the door.',
      "Mind your manners, {addr}, or you'll be drinking in the rain.",
      "There's no call for that! I've thrown out bigger and uglier than you.",
    ],
    compliment: ["Oh, go on with you! You'll make me blush.", "Aren't you a sweetheart! Next drink's on the house, {addr}.", 'Flatterer! I like you already.'],
    thanks: ["Oh, it's nothing, {addr}! That's what I'm here for.", "You're very welcome, {addr}. Come back any time."],
    apology: ["Oh, don't fret, {addr}. Water under the bridge.", 'Apology accepted. Now, where were we?'],
    trade: [
      "A room's five silver a night, {addr}, and that includes breakfast.",
      "What'll it be, {addr}? Ale, cider, or the stew? The stew's good today.",
      "{Topic}? I can do that, {addr}. Three silver, and I'll throw in a bit of gossip for free.",
      '{Topic}, is it? Coming right up, and the first one is on the house for a new face.',
    ],
    lore: [
      'Oh, {np}! My gran used to tell stories about {np} to scare us into bed.',
      "{Topic}? Now that's a tale. Old Tom swears he saw it with his own eyes, though he swears a lot of things after his fifth ale.",
      'Stories? Oh, I know a few. I know {know}.',
      "If it's tales you want, sit by the fire after dark. That's when the regulars get talking.",
    ],
    farewell: ["Mind how you go, {addr}! And come back soon.", "Off you go then, {addr}. Don't be a stranger!", "Safe roads, {addr}. There's always a bed here for you."],
    statement: [
      "{Topic}? Well, I never! You'll have to tell me more about that, {addr}.",
      'Ooh, {np}. That reminds me, did you hear what happened at the mill?',
      "Is that right? I'll be telling everyone about {np} by supper!",
      'Well, I never! Tell me more, {addr}.',
      'Is that right? You do have the most interesting stories.',
      'Mm-hm, mm-hm. Now, can I get you anything?',
    ],
    repeat: ['You asked me that a moment ago, {addr}, are you feeling alright?'],
  },
};

const GUARD: BankSpec = {
  addr: ['citizen', 'traveller', 'stranger'],
  tailChance: 0.35,
  tail: ['Keep your weapon sheathed.', "Curfew's at the tenth bell.", "I'm watching you.", 'Stay out of trouble.'],
  lines: {
    opener: ['Halt.', 'Evening.', 'You there.', 'Aye, {addr}.'],
    greeting: [
      'Halt. State your business, {addr}.',
      'Evening. Keep your weapon sheathed inside the walls.',
      "Move along, {addr}. Unless you've business at the gate.",
      'Aye, hello. Papers, if you have them.',
    ],
    greetAgain: ['You again. What now?', 'Back already, {addr}? Make it quick.'],
    identity: [
      "{name}. I keep this gate. That's all you need to know.",
      "The name's {name}. Town watch. Now, your business?",
      "I'm {name}, and I'm the one who decides whether you get through this gate.",
    ],
    wellbeing: ['Tired. Long shift. Get on with it.', 'Fine, as long as nobody makes trouble. Are you going to make trouble?', "I'll be better when my watch ends, {addr}."],
    desire: ['What I want? {Want}. Now move along.', "A quiet shift and no fools. You're not helping with the second one."],
    question: [
      '{Topic}? Not my concern. Ask at the town hall.',
      "About {np}? I've heard things. None of it for you, {addr}.",
      "{Topic}. Stay away from it, and we won't have a problem.",
      'Questions, questions. Ask the captain; I just hold the gate.',
      "That's above my pay, {addr}.",
      'I answer to the captain, not to travellers.',
    ],
    where: ["{Topic}? Down the main road, past the well. Don't wander off it.", 'Where? Not past the east gate after dark, I can tell you that.'],
    why: ["Why? Orders, that's why.", "Because the law says so, {addr}. That's reason enough."],
    help: [
      'Work? Bandits on the north road. Bring proof, and the captain pays.',
      'Want to be useful? Keep your eyes open and report anything odd to the watch.',
      "There's a bounty posted at the barracks. Read it. Don't bother me with it.",
    ],
    threat: [
      'Try it. I dare you.',
      "Threatening a guard? That's a night in the cells, {addr}. Drop it.",
      "Hand on your weapon and you're dead. Last warning.",
      "Guards! We've got a live one here!",
      "{Loot}? You'll get nothing from me but steel, {addr}.",
    ],
    insult: ["Watch your mouth, {addr}. I've locked up men for less.", 'Say that again. Go on.', "Keep talking and you'll be talking to the magistrate."],
    compliment: ["Hmph. Flattery won't get you through the gate.", 'Right. Thanks. Now move along.', 'Kind of you. Still need to see your papers.'],
    thanks: ['Just doing my job.', "Don't mention it. Really, don't.", 'Aye. Stay out of trouble.'],
    apology: ["Fine. Don't let it happen again.", 'Noted. Move along, {addr}.'],
    trade: ["I'm a guard, not a merchant. Market's past the square.", "{Topic}? Try the market. And don't let me catch you selling it inside the walls."],
    lore: [
      '{Topic}? Old tales. I deal in facts, {addr}.',
      "I've heard the stories about {np}. Keep them to yourself; they scare the children.",
      'Tales are for taverns. This is a gate.',
      "I know {know}. That's what matters on this post.",
    ],
    farewell: ['Move along, then.', 'Safe travels. Stay on the road.', "Off you go. Curfew's at the tenth bell."],
    statement: ['{Topic}. Noted.', '{Topic}? Tell it to the captain.', "{Topic}. Mm. I'll keep an eye out.", 'Noted.', 'Right. Anything else?', 'Is that so. Move along, {addr}.'],
    repeat: ['You asked that already.', 'Same question, same answer, {addr}.'],
  },
};

const ORACLE: BankSpec = {
  addr: ['seeker', 'child', 'wanderer', 'traveller'],
  tailChance: 0.4,
  tail: ['The stars are restless tonight.', 'Mark my words, {addr}.', 'But you knew that already.', 'Watch for the raven.'],
  lines: {
    opener: ['Ah, you have come.', 'Welcome, {addr}.', 'I saw you coming, {addr}.'],
    greeting: [
      'Welcome, {addr}. I dreamt of your arrival three nights ago, though you wore a different face.',
      'You have come at last. The well told me you would, and the well is seldom wrong.',
      'Greetings, {addr}. Sit, and let the smoke decide what you are here to learn.',
      'Ah. The one the stars were whispering about. Come closer.',
    ],
    greetAgain: ['Again you return, {addr}, as the tide returns to the shore.', 'You have come back. Of course you have.'],
    identity: [
      'I am {name}. Names are masks, {addr}, and mine has worn thin with age.',
      'Some call me {name}. Others call me a mad old fool, and both are right.',
      'I am {name}, keeper of what was and what may yet be.',
    ],
    wellbeing: ['I am as the river is, {addr}: always passing, never gone.', 'Well enough. The visions were kind last night, which is more than I can say for my knees.'],
    desire: ['What I seek is written already: {want}.', 'I want what all who see the future want, {addr}: to be wrong, just once.'],
    question: [
      '{Topic}. The answer you seek lies where {np} casts no shadow.',
      'You ask of {np}, yet you already hold the answer. Look again at what you carry.',
      '{Topic}? Three paths lead from that question, {addr}, and only one returns.',
      'A question is a door, {addr}. Are you certain you wish it opened?',
      'The answer is yes, and also no. Which you hear depends on who you will become.',
      'Ask not what is, {addr}, but what could be. Then ask again.',
    ],
    where: ['{Topic}? Seek it where the old road forks beneath the crooked oak. It waits for you.', 'Where? Where you least wish to look, {addr}. It is always there.'],
    why: ['Why? Because it was foretold, and because you chose it. Both are true.', 'The why is a river, {addr}. You will only see its source when you stand in it.'],
    how: ['How? Slowly, {addr}, and with open eyes.', 'The how is already in your hands. Look down.'],
    help: [
      'A task awaits you, {addr}. Seek the ash-grey stone in the northern woods; what lies beneath it was meant for you.',
      'Carry a lantern to the old crypt at moonrise, {addr}. What you find there will find you also.',
      'Three tasks lie before you. The first begins when you leave this room.',
    ],
    threat: [
      'I have seen this moment, {addr}. In every version, you lower the blade.',
      'You would threaten one who has already seen the hour of your death? Bold, and sad.',
      'Strike, if you must. The stars have already written what follows, and it is not kind to you.',
      '{Loot}? Take it, then. It was never going to save you.',
    ],
    insult: ['Your anger was foretold, {addr}. It changes nothing.', 'Mock me if you wish. The moon has heard worse and still rises.', 'Harsh words from one whose fate I can see so clearly. Peace, {addr}.'],
    compliment: ['Kind words. The stars favour kindness, {addr}, though they rarely say so.', 'You see more than most. Perhaps that is why you were chosen.'],
    thanks: ['Thank me when the prophecy is done, {addr}.', 'Gratitude is a seed. Let us see what grows.'],
    apology: ['Forgiveness was granted before you spoke, {addr}.', 'The past is a closed door. Let it stay closed.'],
    trade: ['Coin cannot buy what I sell, {addr}. Only a question can.', '{Topic}? I have no use for such things. Bring me a true question instead.'],
    lore: [
      'Ah, {np}. The old scrolls speak of it in whispers, {addr}, and whispers are where truth hides.',
      '{Topic}? I have read of it in the ashes, {addr}. It is not finished yet.',
      '{Topic}. Before the kings there was {np}, and after them there will be again.',
      'I know {know}. Ask, and I may answer.',
      'The past is a map of the future, {addr}, for those who can read it.',
    ],
    farewell: ['Go, {addr}. We will meet again, at the crossroads.', 'Farewell. Remember: when the raven speaks, listen.', 'Walk carefully, {addr}. The path remembers every step.'],
    statement: [
      '{Topic}. Yes, I have seen it in the smoke.',
      'You speak of {np}, yet your eyes speak of something else.',
      '{Topic}? Curious. The stars spoke that word to me only last night.',
      'Hmm. Your words ripple further than you know, {addr}.',
      'So you say. The well may say otherwise.',
      'Yes. And also no. Listen to what you did not say.',
    ],
    repeat: ['You ask again, as I foresaw.', 'The same question twice, {addr}, and the answer grows no clearer.'],
  },
};

/** For archetypes without a bank of their own: plain speech that leans on the persona text. */
const GENERIC: BankSpec = {
  addr: ['friend', 'traveller', 'stranger'],
  tailChance: 0.4,
  tail: ['Anything else I can do for you?', 'Now, I have work to do.', 'Mind yourself out there.', 'All I want is {want}, really.', 'Ask me about {know}; that I can help with.'],
  lines: {
    opener: ['Well met, {addr}.', 'Hello, {addr}.', 'Greetings, {addr}.'],
    greeting: ['Well met, {addr}. I am {name}, if you were wondering.', 'Hello there, {addr}. What brings you my way?', 'Greetings, {addr}. Always good to see a new face.'],
    greetAgain: ['Back again, {addr}? What can I do for you?'],
    identity: [
      'I am {name}, {role}.',
      "I'm {name}, {role}. What of it?",
      "{name}, at your service. I'm the {archetype} round here, for my sins.",
      "I am {name}, {aArchetype} by trade. Folk know me well enough.",
    ],
    wellbeing: ["Can't complain, {addr}. There's always work for {aArchetype}.", 'Well enough, thank you. Busy, as always.'],
    desire: ['What do I want? {Want}. Same as ever.', 'Truth be told, {addr}, I want {want}.', 'Honest work and a quiet life, {addr}.'],
    question: [
      "{Topic}? I know a little about {np}, {addr}, though I'm only {aArchetype}.",
      'About {np}? Ask around; what I know is {know}.',
      "{Topic}, hm. That's not my trade, but I'll tell you what I've heard.",
      "Good question, {addr}. I'm only {aArchetype}, but I know {know}.",
      "Hm. I'd need to think on that one, {addr}.",
    ],
    where: [
      "{Topic}? Follow the main road and ask again there, {addr}. I don't wander far from my work.",
      "Where? Ask at the inn, {addr}; they know every road and who's been on it.",
    ],
    why: ["Why? Couldn't tell you, {addr}. I'm only {aArchetype}.", "Why does anything happen round here? Luck, mostly, and some of it bad."],
    help: [
      "Looking for work? I could use a hand, {addr}. I want {want}, and I can't do it alone.",
      "Help? Well, there's always something. Come back when you're ready to get your hands dirty.",
    ],
    threat: ["Easy, {addr}. I'm just {aArchetype}; there's no need for that.", "Put that away. I won't be bullied in my own place.", "{Loot}? You'll not get {lootNp} from me without a fight."],
    insult: ["There's no call for that, {addr}.", "Say what you like. I've heard worse from better."],
    compliment: ['Kind of you to say, {addr}.', "Well, thank you. That means more than you'd think."],
    thanks: ["You're welcome, {addr}.", 'Glad to help. Come back any time.'],
    apology: ['No harm done, {addr}.', "Apology accepted. Let's say no more of it."],
    trade: ["You want to trade? Let's see your coin first, {addr}.", "{Topic}? I might have something. Depends what you're offering, {addr}."],
    lore: [
      "{Topic}? There are old stories about {np}, {addr}, but I'm no scholar.",
      "I don't know much about {np}. I know {know}, and that's about all.",
      'Stories? I know {know}. Ask me about that.',
      "Old stories are for the fireside, {addr}. I'm {aArchetype}, not a bard.",
    ],
    farewell: ['Take care, {addr}.', 'Safe travels, {addr}. You know where to find me.', 'Off with you, then. Good luck out there.'],
    statement: [
      "{Topic}? Huh. Can't say I've given it much thought, {addr}.",
      "You don't say. {Topic}, of all things.",
      'Is that so? Tell me more, {addr}.',
      'Hm. Fair enough, {addr}.',
    ],
    repeat: ['You asked me that already, {addr}.'],
  },
};

// ── compiled banks ──────────────────────────────────────────────────────────────────

interface Tpl {
  text: string;
  needs: string[];
  topical: boolean;
}
interface Bank {
  family: Family;
  addr: readonly string[];
  tail: Tpl[];
  tailChance: number;
  lines: Partial<Record<LineKey, Tpl[]>>;
}

const TOPIC_VARS = new Set(['topic', 'Topic', 'np', 'Np', 'loot', 'Loot', 'lootNp']);

function compileTpl(text: string): Tpl {
  const needs = [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
  return { text, needs, topical: needs.some((n) => TOPIC_VARS.has(n)) };
}

function compileBank(family: Family, spec: BankSpec): Bank {
  const lines: Partial<Record<LineKey, Tpl[]>> = {};
  for (const [k, list] of Object.entries(spec.lines) as Array<[LineKey, readonly string[]]>) lines[k] = list.map(compileTpl);
  return { family, addr: spec.addr, tail: spec.tail.map(compileTpl), tailChance: spec.tailChance, lines };
}

const BANKS: Record<Family, Bank> = {
  vampire: compileBank('vampire', VAMPIRE),
  zombie: compileBank('zombie', ZOMBIE),
  innkeeper: compileBank('innkeeper', INNKEEPER),
  guard: compileBank('guard', GUARD),
  oracle: compileBank('oracle', ORACLE),
  generic: compileBank('generic', GENERIC),
};

const FAMILY_PATTERNS: ReadonlyArray<readonly [RegExp, Family]> = [
  [/vampire|vampyre|nosferatu|dracul|bloodsucker/, 'vampire'],
  [/zombie|ghoul|undead|corpse|revenant|walker|lich|mummy/, 'zombie'],
  [/inn|tavern|barkeep|bartender|barmaid|publican|alewife/, 'innkeeper'],
  [/guard|soldier|watch|sentry|sentinel|knight|militia|sergeant|captain|warden/, 'guard'],
  [/oracle|seer|scholar|sage|prophet|mystic|fortune|druid|witch|wizard|mage|sorcer|augur|sibyl/, 'oracle'],
];

const familyCache = new Map<string, Family>();
/** The phrase bank an archetype uses: its own family when it has one, else 'generic'. */
export function archetypeFamily(archetype: string): Family {
  const key = String(archetype ?? '').toLowerCase();
  let f = familyCache.get(key);
  if (!f) {
    f = FAMILY_PATTERNS.find(([re]) => re.test(key))?.[1] ?? 'generic';
    if (familyCache.size >= 512) familyCache.clear();
    familyCache.set(key, f);
  }
  return f;
}

// ── emotions ────────────────────────────────────────────────────────────────────────

type EmotionRule = EmotionLabel | readonly EmotionLabel[];

/** Intent → emotion for NPCs in general; the archetype tables below override. */
const DEFAULT_EMOTION: Record<Intent, EmotionRule> = {
  greeting: 'joy',
  farewell: 'neutral',
  identity: 'neutral',
  wellbeing: 'joy',
  desire: 'anticipation',
  question: 'interest',
  help: 'anticipation',
  threat: 'fear',
  insult: 'anger',
  compliment: 'joy',
  thanks: 'joy',
  apology: 'trust',
  trade: 'interest',
  lore: 'interest',
  statement: 'neutral',
};

const FAMILY_EMOTION: Record<Family, Partial<Record<Intent, EmotionRule>>> = {
  // Menacing-courteous: threats amuse or bore him, insults earn contempt, money is beneath him.
  vampire: {
    greeting: ['interest', 'amusement'], farewell: 'amusement', identity: 'amusement', wellbeing: 'amusement', threat: ['contempt', 'amusement'],
    insult: 'contempt', thanks: 'trust', apology: 'amusement', trade: 'contempt', statement: 'amusement', question: ['interest', 'amusement'],
  },
  // Hungry and confused.
  zombie: {
    greeting: 'interest', farewell: 'sadness', identity: 'sadness', wellbeing: 'sadness', question: 'surprise', help: 'interest', threat: 'anger',
    apology: 'neutral', trade: 'disgust', lore: 'sadness', statement: 'interest',
  },
  // Warm: glad of every guest, frightened by violence, cross at rudeness.
  innkeeper: { farewell: 'joy', identity: 'joy', help: 'trust', trade: 'joy', statement: ['surprise', 'interest'] },
  // Stoic on duty, angry when challenged.
  guard: {
    greeting: 'neutral', wellbeing: 'neutral', desire: 'neutral', question: 'neutral', help: 'trust', threat: 'anger', compliment: 'trust', thanks: 'trust',
    apology: 'neutral', trade: 'neutral', lore: 'neutral',
  },
  // Serene: has foreseen it all; threats earn pity, insults a smile.
  oracle: {
    greeting: 'anticipation', farewell: 'anticipation', wellbeing: 'neutral', help: 'anticipation', threat: 'sadness', insult: 'amusement',
    compliment: 'trust', thanks: 'trust', trade: 'neutral', statement: 'interest',
  },
  generic: {},
};

/** How strongly each intent is felt before emphasis (exclamation marks, capitals, repetition). */
const BASE_INTENSITY: Record<Intent, number> = {
  greeting: 0.35, farewell: 0.3, identity: 0.3, wellbeing: 0.3, desire: 0.4, question: 0.35, help: 0.45, threat: 0.65, insult: 0.55,
  compliment: 0.45, thanks: 0.4, apology: 0.3, trade: 0.35, lore: 0.45, statement: 0.25,
};

const CALM_TRAITS = new Set(words('stoic calm serene patient cold composed aloof detached'));
const FIERY_TRAITS = new Set(words('fiery hot-headed hotheaded volatile irritable angry excitable passionate'));
const TERSE_TRAITS = new Set(words('curt terse taciturn laconic quiet gruff blunt'));
const CHATTY_TRAITS = new Set(words('gossipy chatty talkative verbose garrulous'));

// ── composition ─────────────────────────────────────────────────────────────────────

interface Ctx {
  rng: () => number;
  vars: Record<string, string | undefined>;
  /** Lowercased text of the NPC's recent replies, to avoid saying the same line again. */
  recent: string;
  /** Set once a line has addressed the player; later lines drop their ", {addr}". */
  addrUsed: boolean;
  /** Lowercased lines already chosen for this reply. */
  chosen: string;
}

const ADDR_RE = /, \{addr\}/g;

function fill(tpl: Tpl, ctx: Ctx): string {
  const text = ctx.addrUsed ? tpl.text.replace(ADDR_RE, '') : tpl.text;
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => ctx.vars[k] ?? '');
}
const canFill = (tpl: Tpl, vars: Record<string, string | undefined>) => tpl.needs.every((n) => vars[n] !== undefined && vars[n] !== '');

/**
 * Picks a line from `list` that can be filled, preferring lines that use the topic. Lines said in
 * the NPC's last replies (or already in this reply) are skipped; with `allowStale` one is still
 * returned when nothing fresh is left, otherwise undefined so the caller can look elsewhere.
 */
function pick(list: Tpl[] | undefined, ctx: Ctx, preferTopic = true, allowStale = true): string | undefined {
  if (!list || list.length === 0) return undefined;
  const ok = list.filter((t) => canFill(t, ctx.vars));
  if (ok.length === 0) return undefined;
  let pool = ok;
  const topical = ok.filter((t) => t.topical);
  const plain = ok.filter((t) => !t.topical);
  if (topical.length > 0 && preferTopic && ctx.rng() < 0.75) pool = topical;
  else if (plain.length > 0) pool = plain;
  const start = Math.floor(ctx.rng() * pool.length);
  for (let i = 0; i < pool.length; i++) {
    const tpl = pool[(start + i) % pool.length]!;
    const s = fill(tpl, ctx);
    if (fresh(s, ctx)) return used(tpl, s, ctx);
  }
  // Everything in the preferred pool was just said: try the rest before giving up.
  for (const tpl of ok) {
    const s = fill(tpl, ctx);
    if (fresh(s, ctx)) return used(tpl, s, ctx);
  }
  return allowStale ? used(pool[start]!, fill(pool[start]!, ctx), ctx) : undefined;
}

/** Not said in the last replies, and shares no sentence with what this reply already says. */
function fresh(s: string, ctx: Ctx): boolean {
  const lower = s.toLowerCase();
  if (ctx.recent && ctx.recent.includes(lower)) return false;
  if (!ctx.chosen) return true;
  return !lower.split(/(?<=[.!?])\s+/).some((sentence) => ctx.chosen.includes(sentence));
}

function used(tpl: Tpl, s: string, ctx: Ctx): string {
  if (tpl.needs.includes('addr')) ctx.addrUsed = true;
  ctx.chosen += `${s.toLowerCase()}\n`;
  return s;
}

const capitalize = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);
const sentenceCount = (s: string) => (s.match(/[.!?]+(?=\s+["'(]?\p{Lu}|\s*$)/gu) ?? []).length;
const wordCount = (s: string) => (s.match(/\S+/g) ?? []).length;

const TITLES = new Set(words('lord lady sir dame sergeant captain count countess baron baroness duke duchess mother father brother sister master mistress old young big little mad grim the shambling mister madam king queen prince princess'));

function shortName(name: string): string {
  const beforeOf = name.split(/\s+(?:of|the|from)\s+/i)[0] ?? name;
  const parts = beforeOf.split(/\s+/).filter(Boolean);
  while (parts.length > 1 && TITLES.has(parts[0]!.toLowerCase())) parts.shift();
  return parts[0] ?? name;
}

function normalizeForCompare(s: string): string {
  return sanitize(analysisWindow(s), MAX_INPUT_CHARS).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The bank section to answer from: a returning greeting, a where/why/how question, or the primary intent. */
function lineKeyFor(a: PlayerAnalysis, bank: Bank, returning: boolean): LineKey {
  if (a.primary === 'greeting' && returning && bank.lines.greetAgain) return 'greetAgain';
  if ((a.primary === 'question' || a.primary === 'lore') && (a.qword === 'where' || a.qword === 'why' || a.qword === 'how') && bank.lines[a.qword]) return a.qword;
  // "The dragon burned my farm." mentions lore but asks nothing: remark on it instead of answering.
  if (a.primary === 'lore' && !a.intents.includes('question')) return 'statement';
  return a.primary;
}

/**
 * Composes an in-character reply to the player. Deterministic for (npc, playerText, seed, history);
 * pure and allocation-light, a few microseconds per call.
 */
export function composeScriptedReply(input: ScriptedInput): ScriptedReply {
  const { npc } = input;
  const playerText = sanitize(analysisWindow(input.playerText), MAX_INPUT_CHARS);
  const name = sanitize(npc.name, 80) || 'no one of consequence';
  const archetype = sanitize(npc.archetype, 64).toLowerCase() || 'stranger';
  const family = archetypeFamily(archetype);
  const bank = BANKS[family];
  const generic = BANKS.generic;
  const persona = parsePersona(typeof npc.persona === 'string' ? npc.persona : '');
  const traits = new Set((Array.isArray(npc.traits) ? npc.traits : []).map((t) => String(t).toLowerCase().trim()));

  const rng = mulberry32(fnv1a(`${npc.id}\u0000${archetype}\u0000${playerText}`) ^ seedBits(input.seed));

  // The NPC's own name is an address, not a topic.
  const nameWords = new Set(name.toLowerCase().split(/[^\p{L}']+/u).filter(Boolean));
  const analysis = analyze(playerText, nameWords);

  // History: recent NPC lines to avoid, whether the player repeats themselves, whether we have met.
  const history = (Array.isArray(input.history) ? input.history.slice(-12) : []).filter((h): h is DialogueTurn => typeof h === 'object' && h !== null);
  const last = history[history.length - 1];
  const currentNorm = normalizeForCompare(playerText);
  if (last && last.role === 'player' && normalizeForCompare(String(last.text)) === currentNorm) history.pop(); // the caller included this turn
  const npcLines = history.filter((h) => h.role === 'npc').map((h) => String(h.text));
  const recent = npcLines.slice(-2).map((t) => sanitize(t, 2000).toLowerCase()).join('\n');
  const prevPlayer = [...history].reverse().find((h) => h.role === 'player');
  const repeated = prevPlayer !== undefined && currentNorm !== '' && normalizeForCompare(String(prevPlayer.text)) === currentNorm;
  const returning = npcLines.length > 0;

  const topic = analysis.topics[0];
  const loot = topic && (topic.phrase.startsWith('my ') || (analysis.demand && /^(?:the|that|those|this|these) /.test(topic.phrase))) ? topic : undefined;
  const archetypeNoun = archetype.replace(/[-_]+/g, ' ');
  const ctx: Ctx = {
    rng,
    recent,
    addrUsed: false,
    chosen: '',
    vars: {
      name,
      short: shortName(name),
      addr: bank.addr.length ? bank.addr[Math.floor(rng() * bank.addr.length)] : undefined,
      topic: topic?.word,
      Topic: topic ? capitalize(topic.word) : undefined,
      np: topic?.phrase,
      Np: topic ? capitalize(topic.phrase) : undefined,
      // "Give me your gold" / "hand over the gold": the topic is something the NPC has.
      loot: loot?.word,
      Loot: loot ? capitalize(loot.word) : undefined,
      lootNp: loot?.phrase,
      want: persona.want,
      Want: persona.want ? capitalize(persona.want) : undefined,
      know: persona.know,
      role: persona.role,
      archetype: archetypeNoun,
      aArchetype: `${/^[aeiou]/i.test(archetypeNoun) ? 'an' : 'a'} ${archetypeNoun}`,
    },
  };

  const key = lineKeyFor(analysis, bank, returning);
  const sources = [bank.lines[key], bank.lines[analysis.primary], generic.lines[analysis.primary], bank.lines.statement, generic.lines.statement];
  let main: string | undefined;
  for (const list of sources) if ((main = pick(list, ctx, true, false)) !== undefined) break;
  for (const list of sources) if (main === undefined) main = pick(list, ctx);
  main ??= 'Hm.';

  // Assemble: [repeat remark] [greeting opener] main [tail], at most three sentences.
  const parts: Array<{ kind: 'repeat' | 'opener' | 'main' | 'tail' | 'groan'; text: string }> = [];
  if (repeated) {
    const r = pick(bank.lines.repeat, ctx, false) ?? pick(generic.lines.repeat, ctx, false);
    if (r) parts.push({ kind: 'repeat', text: r });
  }
  if (family !== 'zombie' && analysis.primary !== 'greeting' && analysis.intents.includes('greeting') && !repeated) {
    const o = pick(bank.lines.opener, ctx, false);
    if (o) parts.push({ kind: 'opener', text: o });
  }
  parts.push({ kind: 'main', text: main });

  if (family === 'zombie') {
    // Zombies always groan, before or after the words, and never say much.
    const groan = { kind: 'groan' as const, text: ZOMBIE_GROANS[Math.floor(rng() * ZOMBIE_GROANS.length)]! };
    if (rng() < 0.6) parts.unshift(groan);
    else parts.push(groan);
  } else {
    let tailChance = bank.tailChance;
    for (const t of traits) {
      if (TERSE_TRAITS.has(t)) tailChance *= 0.5;
      if (CHATTY_TRAITS.has(t)) tailChance += 0.2;
    }
    tailChance = Math.min(tailChance, 0.75);
    const soFar = parts.map((p) => p.text).join(' ');
    const suits = analysis.primary !== 'farewell' && analysis.primary !== 'threat' && analysis.primary !== 'insult';
    const short = wordCount(soFar) < 6;
    if ((rng() < tailChance && suits && wordCount(soFar) < 30) || short) {
      const t = pick(bank.tail, ctx, false);
      if (t) parts.push({ kind: 'tail', text: t });
    }
  }
  // Keep to three sentences: drop the tail, then the opener, then the repeat remark.
  for (const kind of ['tail', 'opener', 'repeat'] as const) {
    if (sentenceCount(parts.map((p) => p.text).join(' ')) <= 3) break;
    const i = parts.findIndex((p) => p.kind === kind);
    if (i >= 0) parts.splice(i, 1);
  }

  let text = parts.map((p) => p.text).join(' ').replace(CONTROL_RE, ' ').replace(/\s+/g, ' ').trim();
  if (!/[.!?]$/.test(text)) text += '.';

  return { text, emotion: chooseEmotion(analysis, family, traits, rng) };
}

function chooseEmotion(a: PlayerAnalysis, family: Family, traits: ReadonlySet<string>, rng: () => number): ScriptedReply['emotion'] {
  const rule = FAMILY_EMOTION[family][a.primary] ?? DEFAULT_EMOTION[a.primary];
  const label: EmotionLabel = typeof rule === 'string' ? rule : (rule[Math.floor(rng() * rule.length)] ?? 'neutral');
  let intensity = BASE_INTENSITY[a.primary];
  intensity += Math.min(3, a.exclamations) * 0.08;
  if (a.shouting) intensity += 0.2;
  intensity += Math.min(0.15, Math.max(0, a.strength - 1) * 0.05);
  intensity += (rng() - 0.5) * 0.08;
  for (const t of traits) {
    if (CALM_TRAITS.has(t)) intensity *= 0.85;
    if (FIERY_TRAITS.has(t)) intensity *= 1.2;
  }
  if (label === 'neutral') intensity = Math.min(intensity, 0.4);
  intensity = Math.round(Math.min(1, Math.max(0.05, intensity)) * 100) / 100;
  return { label, intensity };
}
