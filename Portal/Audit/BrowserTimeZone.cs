using Microsoft.JSInterop;

namespace Portal.Audit;

/// <summary>
/// The signed-in person's time zone, read once per circuit from the browser
/// (<c>Intl.DateTimeFormat().resolvedOptions().timeZone</c>), so times show as local time.
/// Storage stays UTC. Falls back to UTC when the browser cannot tell or the zone is unknown here.
/// </summary>
public sealed class BrowserTimeZone(IJSRuntime js, ILogger<BrowserTimeZone> logger)
{
    private TimeZoneInfo? _zone;

    /// <summary>Only valid after the first interactive render (JS interop is unavailable while prerendering).</summary>
    public async Task<TimeZoneInfo> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_zone is not null)
            return _zone;
        try
        {
            // Intl.DateTimeFormat may be called without "new"; no eval and no script file needed.
            await using var format = await js.InvokeAsync<IJSObjectReference>("Intl.DateTimeFormat", cancellationToken);
            var options = await format.InvokeAsync<ResolvedOptions>("resolvedOptions", cancellationToken);
            _zone = string.IsNullOrEmpty(options.TimeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        }
        catch (Exception ex) when (ex is JSException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            logger.LogWarning(ex, "Could not read the browser's time zone; showing UTC");
            _zone = TimeZoneInfo.Utc;
        }
        return _zone;
    }

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    private sealed record ResolvedOptions(string? TimeZone);
}
