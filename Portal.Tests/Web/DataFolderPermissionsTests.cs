using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Configuration;
using Portal.Domain.Audit;
using Portal.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>The database files are 0600 and the keys folder 0700: nothing in the data folder is readable by other users.</summary>
public sealed class DataFolderPermissionsTests
{
    private const UnixFileMode OthersOrGroup =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task PortalStarted_DatabaseFilesOwnerOnlyKeysFolderOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        using var app = new PortalAppFactory();
        _ = app.Services; // start: migrate, create the first admin (an audited write), create keys
        await using (var db = await app.Service<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            app.Service<AuditTrail>().Record(db, Actor.System, "test.write", "thing", "x");
            await db.SaveChangesAsync();
        }

        var paths = app.Service<PortalPaths>();
        Assert.Equal(PortalPaths.PrivateFile, File.GetUnixFileMode(paths.DatabaseFile));
        Assert.Equal(PortalPaths.PrivateDirectory, File.GetUnixFileMode(paths.KeysDirectory));
        Assert.True(File.Exists(paths.DatabaseFile + "-wal"));
        foreach (var file in Directory.EnumerateFiles(paths.DataDirectory, "*.db*"))
            Assert.True((File.GetUnixFileMode(file) & OthersOrGroup) == 0, $"{file} is {File.GetUnixFileMode(file)}");
        foreach (var key in Directory.EnumerateFiles(paths.KeysDirectory))
            Assert.True((File.GetUnixFileMode(key) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == 0, $"{key} is {File.GetUnixFileMode(key)}");
    }

    [Fact]
    public void EnsureCreated_ExistingWorldReadableFiles_Tightened()
    {
        if (OperatingSystem.IsWindows()) return;
        var dir = TestPaths.NewDataDirectory("perms");
        var paths = new PortalPaths(dir, new PortalOptions { DataDirectory = dir });
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.WriteAllBytes(paths.DatabaseFile, []);
        File.SetUnixFileMode(paths.DatabaseFile, open);
        File.WriteAllBytes(paths.DatabaseFile + "-wal", []);
        File.SetUnixFileMode(paths.DatabaseFile + "-wal", open);
        Directory.CreateDirectory(paths.KeysDirectory);
        File.SetUnixFileMode(paths.KeysDirectory, open | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);

        paths.EnsureCreated();

        Assert.Equal(PortalPaths.PrivateFile, File.GetUnixFileMode(paths.DatabaseFile));
        Assert.Equal(PortalPaths.PrivateFile, File.GetUnixFileMode(paths.DatabaseFile + "-wal"));
        Assert.Equal(PortalPaths.PrivateDirectory, File.GetUnixFileMode(paths.KeysDirectory));
        Assert.Equal(PortalPaths.PrivateFile, File.GetUnixFileMode(paths.HangfireDatabaseFile));
        SqliteConnection.ClearAllPools();
    }
}
