namespace Portal.Tests.Infrastructure;

internal static class TestPaths
{
    /// <summary>A fresh, empty folder under the system temp folder for one test's data.</summary>
    public static string NewDataDirectory(string prefix = "portal-test")
    {
        var dir = Path.Combine(Path.GetTempPath(), "portal-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A file of the repository (found upwards from the test output folder, by Portal.sln).</summary>
    public static string Repo(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
                return Path.Combine(dir.FullName, relativePath);
        throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Where browser tests write their screenshots (the test output folder).</summary>
    public static string Screenshots
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
