/** The JSON API calls of the workbench, with the session cookie and the page's CSRF token. */

export interface ApiSegment {
  i: number;
  source: string;
  target: string;
  status: string;
  changed: { oldSource: string; oldTarget: string } | null;
  qaNote: string | null;
  reply: string | null;
}

export interface ApiTask {
  id: string;
  state: string;
  revision: number;
  assignee: string | null;
  leaseExpiresAt: string | null;
  segments: ApiSegment[];
}

export type ApiResult =
  | { ok: true; task: ApiTask }
  | { ok: false; status: number; code: string; message: string; details?: Record<string, unknown> }
  | { ok: false; status: 0; code: 'offline'; message: string; details?: undefined };

const csrf = () => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

export async function callApi(
  method: 'PUT' | 'POST',
  path: string,
  body: unknown,
  opts: { keepalive?: boolean } = {},
): Promise<ApiResult> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      keepalive: opts.keepalive,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf() },
      body: JSON.stringify(body),
    });
  } catch (err) {
    return { ok: false, status: 0, code: 'offline', message: String(err) };
  }
  const json = (await res.json().catch(() => ({}))) as {
    task?: ApiTask;
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
  if (res.ok && json.task) return { ok: true, task: json.task };
  return {
    ok: false,
    status: res.status,
    code: json.error?.code ?? `http_${res.status}`,
    message: json.error?.message ?? res.statusText,
    details: json.error?.details,
  };
}
