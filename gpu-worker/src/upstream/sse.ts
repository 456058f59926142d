/**
 * Server-sent events from a fetch() body: UTF-8 decoded across chunk boundaries, lines split on
 * \n, \r\n or \r, `data:` lines of one event joined with \n, comments (":") skipped
 * (the WHATWG event-stream format, as OpenAI-compatible servers stream completions).
 */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncIterable<SseEvent> {
  const decoder = new TextDecoder();
  let buf = '';
  let data: string[] = [];
  let event: string | undefined;
  const line = function* (l: string): Iterable<SseEvent> {
    if (l === '') {
      if (data.length > 0) yield { event, data: data.join('\n') };
      data = [];
      event = undefined;
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buf);
        // A lone \r at the end may be the first half of \r\n: wait for more.
        if (!m || (m[0] === '\r' && m.index === buf.length - 1 && !done)) break;
        const l = buf.slice(0, m.index);
        buf = buf.slice(m.index + m[0].length);
        yield* line(l);
      }
      if (done) {
        if (buf) yield* line(buf);
        yield* line('');
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
