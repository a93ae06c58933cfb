using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Portal.Security;

/// <summary>Validates every nested part of <see cref="SecurityOptions"/> (data annotations do not recurse).</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        Check(options.Sessions, errors);
        Check(options.Lockout, errors);
        foreach (var (key, limit) in new (string, RateLimit)[]
                 {
                     (nameof(RateLimitOptions.SignInPerAddress), options.RateLimits.SignInPerAddress),
                     (nameof(RateLimitOptions.SignInPerAccount), options.RateLimits.SignInPerAccount),
                     (nameof(RateLimitOptions.WebhookPerSource), options.RateLimits.WebhookPerSource),
                     (nameof(RateLimitOptions.RefundApiPerUser), options.RateLimits.RefundApiPerUser),
                 })
        {
            var before = errors.Count;
            Check(limit, errors);
            for (var i = before; i < errors.Count; i++)
                errors[i] = $"Security:RateLimits:{key}: {errors[i]}";
        }
        if (options.Sessions.WarningSeconds >= options.Sessions.IdleTimeoutMinutes * 60)
            errors.Add("Security:Sessions:WarningSeconds must be shorter than the idle timeout.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(object part, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(part, new ValidationContext(part), results, validateAllProperties: true))
            errors.AddRange(results.Select(r => r.ErrorMessage ?? "invalid value"));
    }
}
