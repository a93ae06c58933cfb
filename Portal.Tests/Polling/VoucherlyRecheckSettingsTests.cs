using Microsoft.Extensions.Options;
using Portal.Domain.Polling;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Polling;

public sealed class VoucherlyRecheckSettingsTests
{
    [Fact]
    public void Settings_BoundFromConfiguration()
    {
        using var app = new PortalAppFactory();
        app.Settings["Jobs:Enabled"] = "false";
        app.Settings["VoucherlySync:RecheckIntervalMinutes"] = "90";
        app.Settings["VoucherlySync:RecheckHorizonDays"] = "30";
        using var _ = app.CreateClient();

        var options = app.Service<IOptions<VoucherlyRecheckOptions>>().Value;

        Assert.Equal((90, 30), (options.RecheckIntervalMinutes, options.RecheckHorizonDays));
        Assert.Equal((TimeSpan.FromMinutes(90), TimeSpan.FromDays(30)), (options.RecheckInterval, options.RecheckHorizon));
    }

    [Fact]
    public void Defaults_SixHoursAnd120Days_SameInTheCodeTheAppSettingsAndTheExample()
    {
        var code = new VoucherlyRecheckOptions();
        Assert.Equal((360, 120), (code.RecheckIntervalMinutes, code.RecheckHorizonDays));
        foreach (var file in new[] { "Portal/appsettings.json", "appsettings.Example.json" })
        {
            var section = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(TestPaths.Repo(file)),
                documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!["VoucherlySync"]!;
            Assert.Equal((360, 120), (section["RecheckIntervalMinutes"]!.GetValue<int>(), section["RecheckHorizonDays"]!.GetValue<int>()));
        }
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
