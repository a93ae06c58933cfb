using System.Net;

namespace Portal.Gateways;

/// <summary>One request/response with a gateway: either an HTTP answer (status and body) or a transport failure.</summary>
internal readonly record struct GatewayExchange(HttpStatusCode? Status, string? Body, string? Failure)
{
    public bool Answered => Status is not null;

    /// <summary>
    /// Sends and reads the whole answer. Timeouts and transport errors become a
    /// <see cref="Failure"/> (the answer was lost); only the caller's own cancellation throws.
    /// </summary>
    public static async Task<GatewayExchange> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new GatewayExchange(response.StatusCode, body, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            return new GatewayExchange(null, null, $"timeout: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            return new GatewayExchange(null, null, $"transport failure: {ex.Message}");
        }
        catch (OperationCanceledException ex)
        {
            return new GatewayExchange(null, null, $"request aborted: {ex.Message}");
        }
    }

    /// <summary>A short, single-line excerpt of a body for messages and logs.</summary>
    public static string Excerpt(string? body, int max = 200)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "(empty body)";
        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length <= max ? flat : flat[..max] + "…";
    }
}
