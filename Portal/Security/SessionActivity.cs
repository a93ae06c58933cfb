using System.Collections.Concurrent;
using System.Security.Claims;

namespace Portal.Security;

/// <summary>
/// The server's record of each signed-in session (one per sign-in, named by the
/// <see cref="ClaimType"/> claim in the cookie): when its cookie stops being accepted, and whether
/// it was signed out. The cookie's own expiry (sliding, encrypted, checked on every request) is
/// what HTTP requests obey; this record lets a live Blazor circuit, which makes no HTTP requests,
/// obey the same idle timeout and sign-out, and lets the page warn before the end.
/// In memory: a restart ends every circuit anyway, and cookies carry their own expiry.
/// </summary>
public sealed class SessionActivity(TimeProvider clock)
{
    public const string ClaimType = "portal:session";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expires = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    public static string? SessionId(ClaimsPrincipal? principal) => principal?.FindFirst(ClaimType)?.Value;

    /// <summary>The session's cookie is now accepted until <paramref name="expiresUtc"/>.</summary>
    public void Extend(string sessionId, DateTimeOffset expiresUtc)
    {
        if (_ended.ContainsKey(sessionId)) return;
        _expires[sessionId] = expiresUtc;
        PruneSometimes();
    }

    /// <summary>Records the expiry of a session seen for the first time (e.g. after a restart); a known one is left alone.</summary>
    public void Observe(string sessionId, DateTimeOffset expiresUtc)
    {
        if (!_ended.ContainsKey(sessionId)) _expires.TryAdd(sessionId, expiresUtc);
    }

    /// <summary>Signed out: the session's cookie is refused from now on, even a copy of it.</summary>
    public void End(string sessionId)
    {
        _ended[sessionId] = clock.GetUtcNow();
        _expires.TryRemove(sessionId, out _);
    }

    public bool IsEnded(string sessionId) => _ended.ContainsKey(sessionId);

    /// <summary>Time left before the session times out; zero when it has ended or timed out; null when unknown here.</summary>
    public TimeSpan? Remaining(string sessionId)
    {
        if (_ended.ContainsKey(sessionId)) return TimeSpan.Zero;
        if (!_expires.TryGetValue(sessionId, out var expires)) return null;
        var left = expires - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private int _writes;

    // Expired and long-ended sessions are forgotten now and then so the maps stay small.
    private void PruneSometimes()
    {
        if (Interlocked.Increment(ref _writes) % 256 != 0) return;
        var now = clock.GetUtcNow();
        foreach (var (id, expires) in _expires)
            if (expires < now - TimeSpan.FromHours(1)) _expires.TryRemove(id, out _);
        // A signed-out session's cookie expires on its own within the idle timeout (at most 15 minutes).
        foreach (var (id, at) in _ended)
            if (at < now - TimeSpan.FromHours(1)) _ended.TryRemove(id, out _);
    }
}
