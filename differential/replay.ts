// Sends the reference's requests (the instance's in `diff`, the recording's in `verify`) to the
// emulator, ids rewritten (IdMap), and compares the two answers: status, the headers a client
// reads, the body once normalized (normalize.ts). The same code judges diff and verify.
import { type Difference, describeDifference, diffValues } from './compare.js';
import { type Body, RESPONSE_HEADERS, type RecordedRequest, type RecordedResponse, bodyBytes, bodyValue, encodeBody, pickHeaders } from './exchange.js';
import { IdMap, type WireRequest } from './mapping.js';
import { normalize } from './normalize.js';

export type Answer = RecordedResponse;
export type Send = (req: WireRequest) => Promise<Answer>;
export type Divergence = { seq: number; request: string; note?: string; differences: Difference[] };

/** Headers compared: whether a client sees JSON or not, and what it may retry or redirect to. */
const COMPARED_HEADERS = ['content-type', 'allow'];

/** Reads a fetch Response as an Answer (body bounded like a recording's). */
export async function readAnswer(res: Response, limit?: number): Promise<Answer> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const headers = pickHeaders(res.headers, RESPONSE_HEADERS);
  const body = encodeBody(bytes, headers['content-type'], limit);
  return { status: res.status, headers, ...(body ? { body } : {}) };
}

export function toWire(req: RecordedRequest): WireRequest {
  const body = bodyBytes(req.body);
  return { method: req.method, path: req.path, headers: { ...req.headers }, ...(body ? { body } : {}) };
}

const mediaType = (v: string | undefined) => v?.toLowerCase().replace(/\s+/g, '');

/** Where the emulator's answer departs from the reference's, once what is volatile is set aside. */
export function compareAnswers(reference: Answer, candidate: Answer, ids?: IdMap): Difference[] {
  const out: Difference[] = [];
  if (reference.status !== candidate.status) out.push({ path: 'status', expected: reference.status, actual: candidate.status });
  for (const h of COMPARED_HEADERS) {
    const [a, b] = [mediaType(reference.headers[h]), mediaType(candidate.headers[h])];
    if (a !== b) out.push({ path: `headers.${h}`, ...(a !== undefined ? { expected: reference.headers[h] } : {}), ...(b !== undefined ? { actual: candidate.headers[h] } : {}) });
  }
  const [a, b] = [bodyValue(reference.body), bodyValue(candidate.body)];
  out.push(...diffValues(normalize(a, 'reference', ids), normalize(b, 'candidate', ids), 'body'));
  return out;
}

export class Replayer {
  readonly divergences: Divergence[] = [];
  requests = 0;

  constructor(
    private readonly send: Send,
    readonly ids: IdMap = new IdMap(),
  ) {}

  /** Sends one reference exchange to the emulator; returns its answer and records a divergence if any. */
  async replay(seq: number, request: RecordedRequest, reference: Answer, note?: string): Promise<{ answer?: Answer; differences: Difference[] }> {
    this.requests++;
    const label = `${request.method} ${request.path}`;
    if (request.body && 'omitted' in request.body) {
      const d: Divergence = { seq, request: label, note: `not replayed: its body (${request.body.size} bytes) is over the recording's bound`, differences: [] };
      this.divergences.push(d);
      return { differences: [] };
    }
    const answer = await this.send(this.ids.rewrite(toWire(request)));
    const differences = compareAnswers(reference, answer, this.ids);
    if (reference.status < 300 && answer.status < 300) this.ids.learn(request.path, bodyValue(reference.body), bodyValue(answer.body));
    if (differences.length) this.divergences.push({ seq, request: label, ...(note ? { note } : {}), differences });
    return { answer, differences };
  }
}

/** The report: every divergence with its differences, then `N divergences in M requests`. */
export function formatReport(divergences: Divergence[], requests: number, names?: { expected: string; actual: string }): string {
  const lines: string[] = [];
  for (const d of divergences) {
    lines.push(`#${d.seq} ${d.request}${d.note ? `  (${d.note})` : ''}`);
    for (const diff of d.differences) lines.push(`    ${describeDifference(diff, names)}`);
  }
  lines.push(`${divergences.length} divergence${divergences.length === 1 ? '' : 's'} in ${requests} request${requests === 1 ? '' : 's'}`);
  return lines.join('\n');
}

export type { Body };
