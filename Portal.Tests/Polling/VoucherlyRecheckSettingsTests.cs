using Microsoft.Extensions.Options;
using Portal.Domain.Polling;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Polling;

public sealed class VoucherlyRecheckSettingsTests
{
    [Fact]
    public void Defaults_SixHoursAnd120DaysFromAppSettings()
    {
        using var app = new PortalAppFactory();
        app.Settings["Jobs:Enabled"] = "false";
        using var _ = app.CreateClient();

        var options = app.Service<IOptions<VoucherlyRecheckOptions>>().Value;

        Assert.Equal((360, 120), (options.RecheckIntervalMinutes, options.RecheckHorizonDays));
    }

    [Theory]
    [InlineData("VoucherlySync:RecheckIntervalMinutes", "0", "RecheckIntervalMinutes")]
    [InlineData("VoucherlySync:RecheckHorizonDays", "0", "RecheckHorizonDays")]
    public void Setting_OutOfRange_StartUpFailsNamingIt(string key, string value, string name)
    {
        using var app = new PortalAppFactory();
        app.Settings[key] = value;
        app.Settings["Jobs:Enabled"] = "false";

        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = e as OptionsValidationException ?? e.InnerException as OptionsValidationException
                         ?? (e as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        Assert.Contains(name, validation.Message);
    }
}
