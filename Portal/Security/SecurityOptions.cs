using System.ComponentModel.DataAnnotations;

namespace Portal.Security;

/// <summary>
/// Settings under <c>Security</c>, validated at start-up: how long a session lives, the second
/// factor for people who move money, the sign-in lockout and the request rate limits. Values
/// weaker than PCI DSS asks for (an idle timeout over 15 minutes, a stamp check less often than a
/// minute, more than 10 sign-in tries, a lockout under 30 minutes) stop start-up.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Admins and Finance need an authenticator app (TOTP) before they can refund or charge. Empty:
    /// on everywhere except Development (where the tests and the demo run without one).
    /// </summary>
    public bool? RequireMfaForMoneyMovers { get; set; }

    /// <summary>In Development only, the configured first admin (Portal:Admin:Email) may move money without a second factor.</summary>
    public bool ExemptDemoAdminInDevelopment { get; set; } = true;

    public SessionOptions Sessions { get; set; } = new();

    public LockoutOptions Lockout { get; set; } = new();

    public RateLimitOptions RateLimits { get; set; } = new();

    public bool MfaRequired(bool isDevelopment) => RequireMfaForMoneyMovers ?? !isDevelopment;
}

public sealed class SessionOptions
{
    /// <summary>A session with no request for this long is refused by the server (PCI DSS 8.2.8: at most 15).</summary>
    [Range(1, 15, ErrorMessage = "Security:Sessions:IdleTimeoutMinutes must be between 1 and 15 (PCI DSS 8.2.8).")]
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>How often a cookie and a live page check the account again (security stamp, lock, roles).</summary>
    [Range(5, 60, ErrorMessage = "Security:Sessions:RevalidationSeconds must be between 5 and 60.")]
    public int RevalidationSeconds { get; set; } = 60;

    /// <summary>How long before the idle timeout the page warns and offers to stay signed in.</summary>
    [Range(10, 300, ErrorMessage = "Security:Sessions:WarningSeconds must be between 10 and 300.")]
    public int WarningSeconds { get; set; } = 60;

    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(IdleTimeoutMinutes);

    public TimeSpan Revalidation => TimeSpan.FromSeconds(RevalidationSeconds);
}

public sealed class LockoutOptions
{
    /// <summary>Failed sign-in tries (password or authenticator code) before the account locks (PCI DSS 8.3.4: at most 10).</summary>
    [Range(3, 10, ErrorMessage = "Security:Lockout:MaxFailedAttempts must be between 3 and 10 (PCI DSS 8.3.4).")]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked (PCI DSS 8.3.4: at least 30 minutes).</summary>
    [Range(30, 1440, ErrorMessage = "Security:Lockout:LockoutMinutes must be between 30 and 1440 (PCI DSS 8.3.4).")]
    public int LockoutMinutes { get; set; } = 30;
}

public sealed class RateLimitOptions
{
    /// <summary>Sign-in form posts per client address (an office behind one address shares it).</summary>
    public RateLimit SignInPerAddress { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    /// <summary>Sign-in form posts per account (email typed), from any address.</summary>
    public RateLimit SignInPerAccount { get; set; } = new() { PermitLimit = 10, WindowSeconds = 300 };

    /// <summary>Webhook calls per source (Vcc, EComCharge, CardGateway) and sending address.</summary>
    public RateLimit WebhookPerSource { get; set; } = new() { PermitLimit = 600, WindowSeconds = 60 };

    /// <summary>Refund API calls per signed-in user.</summary>
    public RateLimit RefundApiPerUser { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };
}

public sealed class RateLimit
{
    [Range(1, 1_000_000, ErrorMessage = "A rate limit's PermitLimit must be between 1 and 1000000.")]
    public int PermitLimit { get; set; }

    [Range(1, 86_400, ErrorMessage = "A rate limit's WindowSeconds must be between 1 and 86400.")]
    public int WindowSeconds { get; set; }

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}
