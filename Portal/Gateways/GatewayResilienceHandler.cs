using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Portal.Gateways;

/// <summary>
/// Per-attempt timeout for every gateway request, and retries only for requests marked safe to
/// repeat (<see cref="GatewayRequest.MarkRetrySafe"/>: a charge or refund carrying the gateway's
/// idempotency key, or a read-only query). Retried: connection failures, 5xx and 429. Never
/// retried: a timeout (the gateway may still be working on it; the outcome is found by a query),
/// and anything without an idempotency key.
/// </summary>
internal sealed class GatewayResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _retrySafe;
    private readonly ResiliencePipeline<HttpResponseMessage> _once;
    private readonly TimeSpan _timeout;

    public GatewayResilienceHandler(GatewayHttpOptions options)
    {
        _timeout = options.Timeout;
        _once = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(_timeout)
            .Build();
        _retrySafe = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 0),
                Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.TooManyRequests),
                OnRetry = args =>
                {
                    // The answer being retried is thrown away: release its connection.
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            })
            .AddTimeout(_timeout)
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = GatewayRequest.IsRetrySafe(request) ? _retrySafe : _once;
        try
        {
            return await pipeline.ExecuteAsync(
                static async (state, ct) => await state.Self.SendOnceAsync(state.Request, ct).ConfigureAwait(false),
                (Self: this, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"no answer within {_timeout.TotalSeconds:0.###} s", ex);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}

/// <summary>Per-request flags the gateway handlers read.</summary>
public static class GatewayRequest
{
    private static readonly HttpRequestOptionsKey<bool> RetrySafeKey = new("Portal.Gateways.RetrySafe");

    /// <summary>Marks a request that may be sent again without moving money twice (it carries the idempotency key, or only reads).</summary>
    public static HttpRequestMessage MarkRetrySafe(this HttpRequestMessage request)
    {
        request.Options.Set(RetrySafeKey, true);
        return request;
    }

    public static bool IsRetrySafe(HttpRequestMessage request) =>
        request.Options.TryGetValue(RetrySafeKey, out var safe) && safe;
}
