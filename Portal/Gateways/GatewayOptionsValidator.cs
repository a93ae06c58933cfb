using Microsoft.Extensions.Options;
using Portal.Sandbox;

namespace Portal.Gateways;

/// <summary>Start-up validation of a gateway's settings; every message names the setting to fix.</summary>
internal sealed class GatewayOptionsValidator<TOptions>(IOptions<SandboxOptions> sandbox) : IValidateOptions<TOptions>
    where TOptions : GatewayHttpOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        var section = options.SectionPath;
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            if (!sandbox.Value.Enabled)
                failures.Add($"{section}:BaseUrl is required when the sandbox is off (Sandbox:Enabled is false): set it to the gateway's API address.");
        }
        else if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{section}:BaseUrl must be an absolute http(s) URL.");
        }
        if (options.TimeoutSeconds is <= 0 or > 300)
            failures.Add($"{section}:TimeoutSeconds must be more than 0 and at most 300 (was {options.TimeoutSeconds}).");
        if (options.MaxRetries is < 0 or > 5)
            failures.Add($"{section}:MaxRetries must be between 0 and 5 (was {options.MaxRetries}).");
        if (options.RetryDelayMilliseconds is < 0 or > 10_000)
            failures.Add($"{section}:RetryDelayMilliseconds must be between 0 and 10000 (was {options.RetryDelayMilliseconds}).");
        failures.AddRange(options.ValidateCredentials());
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
