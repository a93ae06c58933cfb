using Microsoft.JSInterop;
using Portal.Payments;

namespace Portal.Components.Pages.Payments;

/// <summary>
/// What every list load needs: the viewer's time zone (asked of the browser once, for the date
/// filters) and a cancellation token that a newer load cancels, so a slow old query never
/// overwrites the rows of a newer one.
/// </summary>
internal sealed class ListLoader : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private CancellationTokenSource? _current;
    private TimeZoneInfo? _zone;

    /// <summary>The browser's IANA zone id, once known.</summary>
    public string? ZoneId { get; private set; }

    public CancellationToken Token => _disposed.Token;

    public async Task<(TimeZoneInfo Zone, CancellationToken Token)> BeginAsync(IJSRuntime js)
    {
        _current?.Cancel();
        _current?.Dispose();
        _current = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        var token = _current.Token;
        if (_zone is null)
        {
            try
            {
                ZoneId = await js.InvokeAsync<string>("portal.timeZone", token);
            }
            catch (JSException)
            {
                ZoneId = "UTC";
            }
            _zone = LocalDateRange.Zone(ZoneId);
        }
        token.ThrowIfCancellationRequested();
        return (_zone, token);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _current?.Dispose();
        _disposed.Dispose();
    }
}
