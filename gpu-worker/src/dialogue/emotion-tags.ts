/**
 * The emotion convention for model backends: the model starts its reply with a tag
 *
 *   [emotion:LABEL INTENSITY]     e.g.  [emotion:joy 0.7] Welcome back, friend!
 *
 * LABEL is one of the protocol's emotion labels (common synonyms such as "happy" or "angry" are
 * mapped; anything else becomes neutral), INTENSITY 0..1 (default 0.5). The filter strips tags
 * from the streamed text and turns them into emotion events; a tag later in the reply changes
 * the emotion mid-turn. A reply without a leading tag gets `neutral 0.3` before its first
 * words, so the first event is always an emotion.
 */
import type { DialogueEvent } from './backend.js';
import { EMOTIONS, type EmotionLabel } from './scripted.js';

const TAG_RE = /^\[\s*emotion\s*[:=]\s*([A-Za-z_]{1,32})\s*(?:[\s,;]\s*(\d*\.?\d+))?\s*\]/i;
const TAG_OPENING = '[emotion';
/** A tag is never longer than this; a longer "[emotion…" run is just text. */
const MAX_TAG = 48;

export const DEFAULT_EMOTION = { label: 'neutral' as EmotionLabel, intensity: 0.3 };

const SYNONYMS: Record<string, EmotionLabel> = {
  happy: 'joy', happiness: 'joy', glad: 'joy', joyful: 'joy', delighted: 'joy', excited: 'joy', cheerful: 'joy',
  angry: 'anger', mad: 'anger', furious: 'anger', annoyed: 'anger', irritated: 'anger', rage: 'anger',
  afraid: 'fear', scared: 'fear', fearful: 'fear', nervous: 'fear', anxious: 'fear', worried: 'fear',
  sad: 'sadness', sorrow: 'sadness', unhappy: 'sadness', grief: 'sadness', melancholy: 'sadness',
  surprised: 'surprise', shocked: 'surprise', astonished: 'surprise',
  disgusted: 'disgust', revulsion: 'disgust',
  trusting: 'trust', warm: 'trust', friendly: 'trust', grateful: 'trust',
  eager: 'anticipation', hopeful: 'anticipation',
  scornful: 'contempt', disdain: 'contempt', smug: 'contempt', arrogant: 'contempt',
  curious: 'interest', intrigued: 'interest', interested: 'interest',
  amused: 'amusement', playful: 'amusement', laughing: 'amusement',
  calm: 'neutral', none: 'neutral',
};

export function normalizeEmotion(label: string, intensity: string | undefined): { label: EmotionLabel; intensity: number } {
  const l = label.toLowerCase();
  const known = (EMOTIONS as readonly string[]).includes(l) ? (l as EmotionLabel) : (SYNONYMS[l] ?? 'neutral');
  const x = intensity === undefined ? 0.5 : Number(intensity);
  return { label: known, intensity: Math.round(Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0.5)) * 100) / 100 };
}

export class EmotionTagFilter {
  private buf = '';
  private emotionSent = false;
  private textSent = false;

  /** Adds streamed text; returns the events it completes. */
  push(delta: string): DialogueEvent[] {
    this.buf += delta;
    return this.scan(false);
  }

  /** The reply ended: whatever is held is text. */
  flush(): DialogueEvent[] {
    return this.scan(true);
  }

  private scan(final: boolean): DialogueEvent[] {
    const out: DialogueEvent[] = [];
    let text = '';
    const pushText = (t: string) => {
      if (!this.textSent) t = t.replace(/^\s+/, ''); // leading whitespace (often after a tag) is not speech
      if (!t) return;
      if (!this.emotionSent) out.push(this.emotion(DEFAULT_EMOTION));
      text += t;
      this.textSent = true;
    };
    const flushText = () => {
      if (text) out.push({ type: 'text', delta: text });
      text = '';
    };
    for (;;) {
      const i = this.buf.indexOf('[');
      if (i < 0) {
        pushText(this.buf);
        this.buf = '';
        break;
      }
      pushText(this.buf.slice(0, i));
      const rest = this.buf.slice(i);
      const m = TAG_RE.exec(rest);
      if (m) {
        flushText();
        out.push(this.emotion(normalizeEmotion(m[1]!, m[2])));
        let after = rest.slice(m[0].length);
        // "Hello [emotion:x] there": keep one space, not two.
        if (/\s$/.test(this.buf.slice(0, i)) && /^\s/.test(after)) after = after.replace(/^\s+/, '');
        this.buf = after;
        continue;
      }
      const couldBeTag = rest.length < MAX_TAG && !rest.includes(']') && (TAG_OPENING.startsWith(rest.toLowerCase().replace(/\s+/g, '')) || rest.toLowerCase().replace(/\s+/g, '').startsWith(TAG_OPENING));
      if (couldBeTag && !final) {
        this.buf = rest;
        break;
      }
      pushText('[');
      this.buf = rest.slice(1);
    }
    flushText();
    if (final && !this.emotionSent) out.push(this.emotion(DEFAULT_EMOTION));
    return out;
  }

  private emotion(e: { label: string; intensity: number }): DialogueEvent {
    this.emotionSent = true;
    return { type: 'emotion', label: e.label, intensity: e.intensity };
  }
}

/** Applies the tag convention to a stream of text deltas. */
export async function* emotionEvents(deltas: AsyncIterable<string>): AsyncIterable<DialogueEvent> {
  const filter = new EmotionTagFilter();
  for await (const d of deltas) yield* filter.push(d);
  yield* filter.flush();
}
