/**
 * Lua scripts of the shared page store (`page-cache.ts`), so each step is atomic in Redis.
 * Key prefixes are passed as arguments; the configured prefix carries a hash tag, so all
 * keys map to one Cluster slot.
 */

/** Evicts the oldest stored page (its body, size, order entry and tag memberships). */
const EVICT_ONE = `
local function evict_one(order, sizes, stats, pagePrefix, tagPrefix)
  local victim = redis.call('ZPOPMIN', order)
  if #victim == 0 then return false end
  local u = victim[1]
  local meta = redis.call('HGET', pagePrefix .. u, 'm')
  if meta then
    local ok, m = pcall(cjson.decode, meta)
    if ok and m.tags then
      for _, t in ipairs(m.tags) do redis.call('SREM', tagPrefix .. t, u) end
    end
  end
  redis.call('DEL', pagePrefix .. u)
  local sz = tonumber(redis.call('HGET', sizes, u) or '0')
  redis.call('HDEL', sizes, u)
  redis.call('HINCRBY', stats, 'bytes', -sz)
  return true
end
`;

/**
 * KEYS: page, order, sizes, stats, seq, tag sets…
 * ARGV: expected seq, url, gzip, meta, size, max bytes, page prefix, tag prefix.
 * Stores the page unless an invalidation happened since the render began; evicts the oldest
 * pages while the store is over its bound. Returns 1 when stored.
 */
export const STORE_PAGE = `${EVICT_ONE}
if (redis.call('GET', KEYS[5]) or '0') ~= ARGV[1] then return 0 end
local url = ARGV[2]
local old = tonumber(redis.call('HGET', KEYS[3], url) or '0')
redis.call('HSET', KEYS[1], 'g', ARGV[3], 'm', ARGV[4])
redis.call('HSET', KEYS[3], url, ARGV[5])
local clock = redis.call('HINCRBY', KEYS[4], 'clock', 1)
redis.call('ZADD', KEYS[2], clock, url)
for i = 6, #KEYS do redis.call('SADD', KEYS[i], url) end
local bytes = redis.call('HINCRBY', KEYS[4], 'bytes', tonumber(ARGV[5]) - old)
local max = tonumber(ARGV[6])
while bytes > max do
  if not evict_one(KEYS[2], KEYS[3], KEYS[4], ARGV[7], ARGV[8]) then break end
  bytes = tonumber(redis.call('HGET', KEYS[4], 'bytes') or '0')
end
return 1
`;

/**
 * KEYS: order, sizes, stats, seq. ARGV: page prefix, tag prefix, surrogate keys…
 * Bumps the sequence (so renders in flight are not stored), then drops every page tagged
 * with one of the keys. Returns the number of pages dropped.
 */
export const INVALIDATE_PAGES = `
redis.call('INCR', KEYS[4])
local n = 0
for i = 3, #ARGV do
  local tk = ARGV[2] .. ARGV[i]
  for _, u in ipairs(redis.call('SMEMBERS', tk)) do
    local sz = redis.call('HGET', KEYS[2], u)
    if sz then
      redis.call('HINCRBY', KEYS[3], 'bytes', -tonumber(sz))
      redis.call('HDEL', KEYS[2], u)
      redis.call('ZREM', KEYS[1], u)
      n = n + 1
    end
    redis.call('DEL', ARGV[1] .. u)
  end
  redis.call('DEL', tk)
end
return n
`;
