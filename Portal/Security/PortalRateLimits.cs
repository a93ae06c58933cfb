using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Security;

/// <summary>
/// ASP.NET Core's rate limiter in front of what an outsider can hammer: the sign-in form (per client
/// address and per account typed), each webhook source (per sending address), and the refund API
/// (per signed-in user). Over the limit: 429 with Retry-After (seconds) and a short problem body (a
/// page for the sign-in form). Client addresses are the connection's: behind a proxy, configure
/// forwarded headers first. Limits under
/// <c>Security:RateLimits</c>; fixed windows, no queueing.
/// </summary>
public static class PortalRateLimits
{
    public const string SignInPath = "/Account/Login";
    public const string RefundApiPath = "/api/refunds";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>, ILoggerFactory>((limiter, security, logs) =>
        {
            var limits = security.Value.RateLimits;
            var logger = logs.CreateLogger(typeof(PortalRateLimits));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Limiter("sign-in-address", limits.SignInPerAddress, http =>
                    IsSignInPost(http) ? http.Connection.RemoteIpAddress?.ToString() ?? "unknown" : null),
                Limiter("sign-in-account", limits.SignInPerAccount, http =>
                    IsSignInPost(http) ? AccountTyped(http) : null),
                Limiter("webhook", limits.WebhookPerSource, WebhookSource),
                Limiter("refund-api", limits.RefundApiPerUser, http =>
                    HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments(RefundApiPath)
                        ? http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous"
                        : null));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                // The status-code pages must not turn the 429 into a page render.
                if (http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                logger.LogWarning("Rate limit hit: {Method} {Path} from {RemoteAddress}; retry after {Seconds} s",
                    http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress, seconds);
                if (IsSignInPost(http))
                {
                    // A person at the sign-in form gets a page, not JSON.
                    http.Response.ContentType = "text/html; charset=utf-8";
                    await http.Response.WriteAsync(
                        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many sign-in attempts</title></head><body>" +
                        $"<h1>Too many sign-in attempts</h1><p>Wait {seconds} seconds, then <a href=\"/Account/Login\">try again</a>.</p></body></html>",
                        cancellationToken);
                    return;
                }
                await http.Response.WriteAsJsonAsync(new
                {
                    title = "Too many requests",
                    status = StatusCodes.Status429TooManyRequests,
                    detail = $"Too many requests; try again in {seconds} seconds.",
                }, options: null, contentType: "application/problem+json", cancellationToken);
            };
        });
        return services;
    }

    private static PartitionedRateLimiter<HttpContext> Limiter(string name, RateLimit limit, Func<HttpContext, string?> key) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => key(http) is { } partition
            ? RateLimitPartition.GetFixedWindowLimiter(name + ":" + partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.PermitLimit,
                Window = limit.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(""));

    // Routing also sends "/Account/Login/" to the sign-in page: compare without the trailing slash,
    // or a slash would step around both sign-in limits.
    internal static bool IsSignInPost(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method)
        && string.Equals(http.Request.Path.Value?.TrimEnd('/'), SignInPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The email typed into the sign-in form (read by <see cref="BufferSignInForm"/> before the limiter runs).</summary>
    private static string AccountTyped(HttpContext http)
    {
        var email = http.Request.HasFormContentType && http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is { } form
            ? form["Input.Email"].ToString()
            : "";
        email = email.Trim().ToUpperInvariant();
        return email.Length is > 0 and <= 256 ? email : "(none)";
    }

    private static string? WebhookSource(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Path.StartsWithSegments("/webhooks", out var rest)) return null;
        var segments = rest.Value?.Trim('/').Split('/') ?? [];
        // One bucket per source and sending address: a flood from elsewhere (credentials or not) cannot
        // use up the real gateway's budget. Unknown paths share one bucket so they cannot dodge the limit.
        var source = segments.Length > 0 && segments[0] is "vcc" or "ecomcharge" or "cardgateway" ? segments[0] : "other";
        return source + "@" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>
    /// Reads the sign-in form before the rate limiter (whose partition keys are synchronous), so the
    /// per-account limit can see the email. The form is small and read once: Blazor's form handling
    /// gets the same parsed form.
    /// </summary>
    public static IApplicationBuilder BufferSignInForm(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (IsSignInPost(http) && http.Request.HasFormContentType)
            {
                try
                {
                    await http.Request.ReadFormAsync(http.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // A malformed form is refused later by the form handler; the address limit still counts it.
                }
            }
            await next(http);
        });
}
