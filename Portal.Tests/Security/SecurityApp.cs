using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>The in-memory portal on a clock the test moves (cookies, stamp checks and sessions all read it).</summary>
internal sealed class SecurityApp : PortalAppFactory
{
    public SecurityApp()
    {
        ConfigureTestServices = services => services.AddSingleton<TimeProvider>(Clock);
    }

    public FixedClock Clock { get; } = new(DateTimeOffset.UtcNow);
}
