using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Domain.Security;

namespace Portal.Security;

/// <summary>
/// Sessions that end (idle timeout, security stamp checked every minute, sign-out that revokes the
/// cookie), the sign-in lockout, the second factor for money movers, security headers and rate
/// limits. See docs/decisions/0012-sessions-mfa-headers.md.
/// </summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>The page's "stay signed in" (and activity) ping: renews the session cookie.</summary>
    public const string KeepAlivePath = "/Account/KeepAlive";

    private const string RenewedItem = "portal.session-renewed";

    public static WebApplicationBuilder AddPortalSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var isDevelopment = builder.Environment.IsDevelopment();
        services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<SessionActivity>();
        services.AddSingleton<IMoneyMovementGuard, SecondFactorMoneyMovementGuard>();

        services.AddOptions<IdentityOptions>().PostConfigure<IOptions<SecurityOptions>>((identity, security) =>
        {
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = security.Value.Lockout.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.Value.Lockout.LockoutMinutes);
        });

        services.AddOptions<SecurityStampValidatorOptions>().PostConfigure<IOptions<SecurityOptions>, TimeProvider>((stamp, security, clock) =>
        {
            stamp.ValidationInterval = security.Value.Sessions.Revalidation;
            stamp.TimeProvider = clock;
            // The refreshed principal keeps the session it belongs to.
            stamp.OnRefreshingPrincipal = context =>
            {
                if (SessionActivity.SessionId(context.CurrentPrincipal) is { } sid
                    && context.NewPrincipal?.Identity is ClaimsIdentity identity && identity.FindFirst(SessionActivity.ClaimType) is null)
                    identity.AddClaim(new Claim(SessionActivity.ClaimType, sid));
                return Task.CompletedTask;
            };
        });

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure<IOptions<SecurityOptions>, TimeProvider, SessionActivity>((cookie, security, clock, sessions) =>
                ConfigureSessionCookie(cookie, security.Value.Sessions, clock, sessions, isDevelopment));

        if (!isDevelopment)
        {
            // Every cookie the portal sets (sign-in, antiforgery, two-factor, status) only travels over HTTPS.
            services.Configure<CookiePolicyOptions>(o => o.Secure = CookieSecurePolicy.Always);
        }
        services.AddPortalRateLimits();
        return builder;
    }

    private static void ConfigureSessionCookie(CookieAuthenticationOptions cookie, SessionOptions sessions, TimeProvider clock,
        SessionActivity activity, bool isDevelopment)
    {
        cookie.TimeProvider = clock;
        // The idle timeout: the ticket (encrypted, so the browser cannot stretch it) expires this long
        // after the last renewal, and any request renews it once it is a minute old.
        cookie.ExpireTimeSpan = sessions.IdleTimeout;
        cookie.SlidingExpiration = true;
        if (!isDevelopment) cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;

        var signingIn = cookie.Events.OnSigningIn;
        cookie.Events.OnSigningIn = async context =>
        {
            await signingIn(context);
            if (context.Principal?.Identity is not ClaimsIdentity identity) return;
            var sid = identity.FindFirst(SessionActivity.ClaimType)?.Value;
            if (sid is null)
            {
                sid = Guid.NewGuid().ToString("N");
                identity.AddClaim(new Claim(SessionActivity.ClaimType, sid));
            }
            activity.Extend(sid, clock.GetUtcNow() + sessions.IdleTimeout);
        };

        var signingOut = cookie.Events.OnSigningOut;
        cookie.Events.OnSigningOut = async context =>
        {
            if (SessionActivity.SessionId(context.HttpContext.User) is { } sid) activity.End(sid);
            await signingOut(context);
        };

        var sliding = cookie.Events.OnCheckSlidingExpiration;
        cookie.Events.OnCheckSlidingExpiration = async context =>
        {
            await sliding(context);
            // Renew on the keep-alive ping, and on any request once the ticket is a minute old, so the
            // cookie always runs to (almost) a full idle timeout after the last request.
            context.ShouldRenew = context.HttpContext.Request.Path.Equals(KeepAlivePath, StringComparison.OrdinalIgnoreCase)
                                  || context.ElapsedTime >= TimeSpan.FromMinutes(1);
            if (context.ShouldRenew) context.HttpContext.Items[RenewedItem] = true;
        };

        var validate = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var sid = SessionActivity.SessionId(context.Principal);
            // A signed-out session (a copied cookie included), or a cookie from before sessions were tracked.
            if (sid is null || activity.IsEnded(sid))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }
            activity.Observe(sid, context.Properties.ExpiresUtc ?? clock.GetUtcNow() + sessions.IdleTimeout);
            // Identity's security stamp validator (every RevalidationSeconds): stamp, lock, account gone.
            await validate(context);
            if (context.Principal is null)
            {
                activity.End(sid);
                return;
            }
            if (context.ShouldRenew || context.HttpContext.Items.ContainsKey(RenewedItem))
                activity.Extend(sid, clock.GetUtcNow() + sessions.IdleTimeout);
        };
    }

    public static WebApplication UsePortalSecurityHeaders(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            // HSTS itself is switched on in Program.cs next to the exception handler.
            app.UseHttpsRedirection();
            app.UseCookiePolicy();
        }
        return app;
    }

    /// <summary>The keep-alive ping: the request itself renews the cookie; the answer says how long the session now lasts.</summary>
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(KeepAlivePath, (HttpContext http, SessionActivity activity) =>
            {
                var remaining = SessionActivity.SessionId(http.User) is { } sid ? activity.Remaining(sid) : null;
                return Results.Json(new { remainingSeconds = (int)(remaining ?? TimeSpan.Zero).TotalSeconds });
            })
            .RequireAuthorization()
            // Nothing but the session's own expiry changes, and the cookie is SameSite=Lax.
            .DisableAntiforgery();
        return app;
    }
}
