using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Payments;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// The Data Protection keys encrypt stored card tokens; with <c>Portal:DataProtection:CertificatePath</c>
/// set, the keys themselves are encrypted at rest with that certificate, and a bad certificate stops start-up.
/// </summary>
public sealed class DataProtectionKeyProtectionTests : IDisposable
{
    private const string UnencryptedMarker = "unencrypted form";
    private readonly string _folder = TestPaths.NewDataDirectory();

    [Fact]
    public void Startup_WithCertificate_WritesEncryptedKeysThatASecondStartCanRead()
    {
        var pfx = WritePfx("keys.pfx", "pfx-pass-1");
        string token;
        string dataDirectory;
        using (var first = WithCertificate(pfx, "pfx-pass-1"))
        {
            token = first.Services.GetRequiredService<ICardTokenProtector>().Protect("tok_4242");
            dataDirectory = first.DataDirectory;
        }

        var keyXml = string.Concat(Directory.GetFiles(Path.Combine(dataDirectory, "keys"), "*.xml").Select(File.ReadAllText));
        Assert.Contains("encryptedSecret", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain(UnencryptedMarker, keyXml, StringComparison.Ordinal);

        using var second = WithCertificate(pfx, "pfx-pass-1");
        second.Settings["Portal:DataDirectory"] = dataDirectory;
        Assert.Equal("tok_4242", second.Services.GetRequiredService<ICardTokenProtector>().Unprotect(token));
    }

    [Fact]
    public void Startup_WithoutCertificate_WritesKeysUnencrypted()
    {
        using var app = new PortalAppFactory();
        app.Services.GetRequiredService<ICardTokenProtector>().Protect("tok_4242");

        var keyXml = string.Concat(Directory.GetFiles(Path.Combine(app.DataDirectory, "keys"), "*.xml").Select(File.ReadAllText));
        Assert.Contains(UnencryptedMarker, keyXml, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_CertificateFileMissing_FailsNamingTheSetting()
    {
        using var app = WithCertificate(Path.Combine(_folder, "nowhere.pfx"), null);

        var error = app.StartupErrorMessages();

        Assert.Contains(nameof(StartupConfigurationException) + ": " + DataProtectionKeyProtection.PathSetting, error, StringComparison.Ordinal);
        Assert.Contains("no certificate file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_WrongCertificatePassword_FailsNamingThePasswordSetting()
    {
        var pfx = WritePfx("keys.pfx", "right-password");
        using var app = WithCertificate(pfx, "wrong-password");

        var error = app.StartupErrorMessages();

        Assert.Contains(nameof(StartupConfigurationException) + ": " + DataProtectionKeyProtection.PathSetting, error, StringComparison.Ordinal);
        Assert.Contains(DataProtectionKeyProtection.PasswordSetting, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_CertificateWithoutPrivateKey_FailsSayingSo()
    {
        using var full = NewCertificate();
        using var publicOnly = X509CertificateLoader.LoadCertificate(full.Export(X509ContentType.Cert));
        var pfx = Path.Combine(_folder, "public.pfx");
        File.WriteAllBytes(pfx, publicOnly.Export(X509ContentType.Pkcs12, "pw"));
        using var app = WithCertificate(pfx, "pw");

        var error = app.StartupErrorMessages();

        Assert.Contains("has no private key", error, StringComparison.Ordinal);
    }

    private static PortalAppFactory WithCertificate(string path, string? password)
    {
        var app = new PortalAppFactory();
        app.Settings[DataProtectionKeyProtection.PathSetting] = path;
        app.Settings[DataProtectionKeyProtection.PasswordSetting] = password;
        return app;
    }

    private string WritePfx(string name, string password)
    {
        using var certificate = NewCertificate();
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static X509Certificate2 NewCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=portal-keys-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
