/**
 * Text ↔ tokens for one model: the chat template (@huggingface/jinja) turns messages into the
 * prompt the model was tuned on, the tokenizer (@huggingface/tokenizers) turns it into ids and
 * back. Prompts that do not fit the context lose their oldest turns first (never the system
 * message or the newest one).
 */
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { ModelLoadError } from './model-errors.js';
import type { ModelFolder } from './model-folder.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export class PromptTooLongError extends Error {
  override name = 'PromptTooLongError';
}

/** A special token as tokenizer_config.json writes it: a string or {content}. */
function tokenText(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object' && typeof (x as { content?: unknown }).content === 'string') return (x as { content: string }).content;
  return undefined;
}

const ids = (x: unknown): number[] => (typeof x === 'number' ? [x] : Array.isArray(x) ? x.filter((v): v is number => typeof v === 'number') : []);

export class TextCodec {
  readonly eosIds: ReadonlySet<number>;
  private readonly template: Template;
  private readonly specials: Record<string, string>;

  constructor(
    private readonly tokenizer: Tokenizer,
    chatTemplate: string,
    tokenizerConfig: Record<string, unknown>,
    eosIds: Iterable<number>,
  ) {
    try {
      this.template = new Template(chatTemplate);
    } catch (e) {
      throw new ModelLoadError('no_chat_template', `the chat template does not parse: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.specials = {};
    for (const k of ['bos_token', 'eos_token', 'pad_token', 'unk_token']) {
      const t = tokenText(tokenizerConfig[k]);
      if (t !== undefined) this.specials[k] = t;
    }
    this.eosIds = new Set(eosIds);
  }

  static fromFolder(folder: ModelFolder): TextCodec {
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig);
    } catch (e) {
      throw new ModelLoadError('bad_tokenizer', `${folder.dir}/tokenizer.json cannot be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
    const eos = new Set([...ids(folder.config.eos_token_id), ...ids(folder.generationConfig?.eos_token_id)]);
    const eosText = tokenText(folder.tokenizerConfig.eos_token);
    const eosId = eosText === undefined ? undefined : tokenizer.token_to_id(eosText);
    if (eosId !== undefined) eos.add(eosId);
    if (eos.size === 0) throw new ModelLoadError('bad_tokenizer', `${folder.dir}: no end-of-sequence token (config.json eos_token_id or tokenizer_config.json eos_token)`);
    return new TextCodec(tokenizer, folder.chatTemplate, folder.tokenizerConfig, eos);
  }

  decode = (tokenIds: number[]): string => (tokenIds.length === 0 ? '' : this.tokenizer.decode(tokenIds, { skip_special_tokens: true }));

  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  /** Renders the chat template with a generation prompt. Templates that refuse a system role get it folded into the first user turn. */
  render(messages: readonly ChatMessage[]): string {
    const vars = { ...this.specials, add_generation_prompt: true };
    try {
      return this.template.render({ ...vars, messages });
    } catch (e) {
      if (messages[0]?.role !== 'system' || messages.length < 2) throw e;
      const [system, first, ...rest] = messages;
      return this.template.render({ ...vars, messages: [{ role: first!.role, content: `${system!.content}\n\n${first!.content}` }, ...rest] });
    }
  }

  /**
   * Prompt ids for `messages`, leaving `reserve` tokens of the context free for the reply. Drops
   * the oldest turns after the system message until it fits; throws PromptTooLongError if even
   * the system message and the newest turn do not.
   */
  encodeChat(messages: readonly ChatMessage[], contextTokens: number, reserve: number): { ids: number[]; dropped: number } {
    const head = messages[0]?.role === 'system' ? 1 : 0;
    for (let dropped = 0; ; dropped++) {
      const kept = [...messages.slice(0, head), ...messages.slice(head + dropped)];
      // Templates with alternation rules need the kept turns to start with the player.
      while (kept.length > head + 1 && kept[head]!.role !== 'user') kept.splice(head, 1);
      const promptIds = this.encode(this.render(kept));
      if (promptIds.length + reserve <= contextTokens) return { ids: promptIds, dropped };
      if (head + dropped >= messages.length - 1) {
        throw new PromptTooLongError(`prompt of ${promptIds.length} tokens plus ${reserve} for the reply does not fit the model's context of ${contextTokens} tokens`);
      }
    }
  }
}
