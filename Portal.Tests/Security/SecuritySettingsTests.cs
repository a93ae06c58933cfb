using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Portal.Security;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>Settings weaker than PCI DSS asks for stop start-up with a message naming the setting.</summary>
public sealed class SecuritySettingsTests
{
    [Theory]
    [InlineData("Security:Lockout:MaxFailedAttempts", "11", "Security:Lockout:MaxFailedAttempts")]
    [InlineData("Security:Lockout:LockoutMinutes", "29", "Security:Lockout:LockoutMinutes")]
    [InlineData("Security:Sessions:IdleTimeoutMinutes", "16", "Security:Sessions:IdleTimeoutMinutes")]
    [InlineData("Security:Sessions:RevalidationSeconds", "61", "Security:Sessions:RevalidationSeconds")]
    [InlineData("Security:RateLimits:SignInPerAccount:PermitLimit", "0", "Security:RateLimits:SignInPerAccount")]
    public void Startup_WeakerSecuritySetting_FailsNamingIt(string key, string value, string named)
    {
        using var app = new PortalAppFactory();
        app.Settings[key] = value;

        var error = app.StartupErrorMessages();

        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_DefaultsAndStrictestValues_Pass()
    {
        var validator = new SecurityOptionsValidator();
        Assert.True(validator.Validate(null, new SecurityOptions()).Succeeded);
        var strict = new SecurityOptions();
        strict.Lockout.MaxFailedAttempts = 10;
        strict.Lockout.LockoutMinutes = 30;
        strict.Sessions.IdleTimeoutMinutes = 15;
        strict.Sessions.RevalidationSeconds = 60;
        Assert.True(validator.Validate(null, strict).Succeeded);
    }

    [Fact]
    public void Defaults_RateLimitsAreSaneForProduction()
    {
        var limits = new SecurityOptions().RateLimits;

        // A person mistyping a password a few times, or an office behind one address, is never stopped;
        // a script guessing passwords or flooding is.
        Assert.InRange(limits.SignInPerAccount.PermitLimit, 5, 20);
        Assert.InRange(limits.SignInPerAccount.WindowSeconds, 60, 3600);
        Assert.InRange(limits.SignInPerAddress.PermitLimit, 10, 100);
        Assert.InRange(limits.WebhookPerSource.PermitLimit, 100, 10_000);
        Assert.InRange(limits.RefundApiPerUser.PermitLimit, 5, 100);
        Assert.Null(new SecurityOptions().RequireMfaForMoneyMovers);
        Assert.True(new SecurityOptions().MfaRequired(isDevelopment: false));
        Assert.False(new SecurityOptions().MfaRequired(isDevelopment: true));
    }

    [Fact]
    public void Appsettings_DoNotWeakenTheDefaults()
    {
        // appsettings.json ships no Security section (the compiled defaults apply), or the same values.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(TestPaths.Repo("Portal/appsettings.json")))!;
        var security = json["Security"];
        if (security is null) return;
        var bound = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddJsonFile(TestPaths.Repo("Portal/appsettings.json")).Build()
            .GetSection(SecurityOptions.Section).Get<SecurityOptions>()!;
        Assert.True(new SecurityOptionsValidator().Validate(null, bound).Succeeded);
        Assert.Equal(new SecurityOptions().RateLimits.SignInPerAccount.PermitLimit, bound.RateLimits.SignInPerAccount.PermitLimit);
    }

    [Fact]
    public void ExampleSettings_SecuritySection_ListsTheDefaultsAndValidates()
    {
        var example = new ConfigurationBuilder().AddJsonFile(TestPaths.Repo("appsettings.Example.json")).Build();
        var bound = example.GetSection(SecurityOptions.Section).Get<SecurityOptions>()!;
        var defaults = new SecurityOptions();

        Assert.True(new SecurityOptionsValidator().Validate(null, bound).Succeeded);
        Assert.Equal(defaults.Sessions.IdleTimeoutMinutes, bound.Sessions.IdleTimeoutMinutes);
        Assert.Equal(defaults.Sessions.RevalidationSeconds, bound.Sessions.RevalidationSeconds);
        Assert.Equal(defaults.Lockout.MaxFailedAttempts, bound.Lockout.MaxFailedAttempts);
        Assert.Equal(defaults.Lockout.LockoutMinutes, bound.Lockout.LockoutMinutes);
        Assert.Equal(defaults.RateLimits.SignInPerAddress.PermitLimit, bound.RateLimits.SignInPerAddress.PermitLimit);
        Assert.Equal(defaults.RateLimits.SignInPerAccount.PermitLimit, bound.RateLimits.SignInPerAccount.PermitLimit);
        Assert.Equal(defaults.RateLimits.WebhookPerSource.PermitLimit, bound.RateLimits.WebhookPerSource.PermitLimit);
        Assert.Equal(defaults.RateLimits.RefundApiPerUser.PermitLimit, bound.RateLimits.RefundApiPerUser.PermitLimit);
        Assert.Equal(20, example.GetValue<int>("Refunds:MaxAuditedRefusalsPerUser"));
    }
}
