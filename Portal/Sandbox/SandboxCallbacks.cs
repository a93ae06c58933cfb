using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;

namespace Portal.Sandbox;

/// <summary>One callback the sandbox posted (or tried to post) to the portal, as a gateway would.</summary>
/// <param name="Source"><c>vcc</c> or <c>ecomcharge</c>.</param>
/// <param name="StatusCode">The HTTP status the receiver answered, or null when the post failed.</param>
/// <param name="Error">Why the post failed (connection refused, timeout), when it did.</param>
/// <param name="Body">The JSON posted (masked card data only).</param>
/// <param name="BasicUser">The HTTP Basic user name it authenticated with (the password is not kept), or null.</param>
public sealed record SandboxCallbackAttempt(string Source, string Url, int? StatusCode, string? Error, string Body, string? BasicUser, DateTimeOffset AtUtc);

/// <summary>Posts the gateways' callbacks to the portal and remembers every attempt (for the form page and the tests).</summary>
public sealed class SandboxCallbacks(IHttpClientFactory httpClients, ILogger<SandboxCallbacks> logger)
{
    public const string HttpClientName = "Portal.Sandbox.Callbacks";

    private readonly ConcurrentQueue<SandboxCallbackAttempt> _attempts = new();

    public IReadOnlyList<SandboxCallbackAttempt> Attempts => _attempts.ToArray();

    public async Task<SandboxCallbackAttempt> PostAsync(
        string source, Uri url, string json, string? user, string? password, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (!string.IsNullOrEmpty(user) || !string.IsNullOrEmpty(password))
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        SandboxCallbackAttempt attempt;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            attempt = new SandboxCallbackAttempt(source, url.AbsoluteUri, (int)response.StatusCode, null, json, user, DateTimeOffset.UtcNow);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            attempt = new SandboxCallbackAttempt(source, url.AbsoluteUri, null, ex.Message, json, user, DateTimeOffset.UtcNow);
        }
        _attempts.Enqueue(attempt);
        logger.LogInformation("Sandbox {Source} callback to {Url}: {StatusCode} {Error}", source, attempt.Url, attempt.StatusCode, attempt.Error);
        return attempt;
    }
}
