// A visitor's realtime stream (Server-Sent Events), read as a browser would.

export interface StreamedMessage { id: string; author: string; text: string }

/** Opens the stream; `open` resolves once the server answered, `received` fills as events arrive. */
export function openVisitorStream(baseUrl: string, inboxId: string, visitorId: string) {
  const received: StreamedMessage[] = [];
  const controller = new AbortController();
  let opened!: () => void;
  let failed!: (err: Error) => void;
  const open = new Promise<void>((resolve, reject) => { opened = resolve; failed = reject; });
  const done = (async () => {
    const res = await fetch(`${baseUrl}/api/v1/webchat/${inboxId}/visitors/${visitorId}/stream`, { signal: controller.signal });
    if (res.status !== 200) return failed(new Error(`stream answered ${res.status}`));
    opened();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').find((l) => l.startsWith('data: '));
        if (data) received.push(JSON.parse(data.slice(6)));
      }
    }
  })().catch(() => undefined);
  const lines = () => received.map((m) => `${m.author}: ${m.text}`);
  return { received, lines, open, close: async () => { controller.abort(); await done; } };
}
