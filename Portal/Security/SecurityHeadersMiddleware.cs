namespace Portal.Security;

/// <summary>
/// Security headers on every response (pages, API, webhooks, health, Hangfire, static files):
/// a Content-Security-Policy that Blazor Server and MudBlazor work under, no framing, no MIME
/// sniffing, no referrer leaving the site. Set when the response starts, so they replace the
/// <c>frame-ancestors 'self'</c> policy Blazor adds on its own.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>
    /// Scripts only from files of this site (no inline script, no eval); the circuit's WebSocket and
    /// fetches only to this site; styles from this site plus inline styles, because MudBlazor writes
    /// its theme as a &lt;style&gt; element and positions popovers with style attributes (see decision 0012).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "frame-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
