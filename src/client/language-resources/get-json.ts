/** A GET of the JSON API with the session cookie; null (never a throw) when it fails or is offline. */
export async function getJson<T>(path: string, query: Record<string, string>): Promise<T | null> {
  try {
    const res = await fetch(`/api/v1${path}?${new URLSearchParams(query).toString()}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}
