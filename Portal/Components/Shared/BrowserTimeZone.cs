using Microsoft.JSInterop;

namespace Portal.Components.Shared;

/// <summary>
/// The browser's time zone, learnt once per circuit, so times are stored in UTC and shown in
/// the user's local time. Until it is known, times show in UTC and say so.
/// </summary>
public sealed class BrowserTimeZone(IJSRuntime js)
{
    private TimeZoneInfo? _zone;

    public event Action? Changed;

    public async Task InitializeAsync()
    {
        if (_zone is not null) return;
        try
        {
            var id = await js.InvokeAsync<string>("portal.timeZone");
            _zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (JSException)
        {
            _zone = TimeZoneInfo.Utc;
        }
        Changed?.Invoke();
    }

    public bool Known => _zone is not null;

    /// <summary>The zone, asking the browser first if needed. Only after the first interactive render (no JS while prerendering).</summary>
    public async Task<TimeZoneInfo> GetAsync()
    {
        await InitializeAsync();
        return _zone ?? TimeZoneInfo.Utc;
    }

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    public DateTime ToLocal(DateTime utc) =>
        _zone is null ? utc : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone);
}
