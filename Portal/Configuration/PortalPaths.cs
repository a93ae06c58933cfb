namespace Portal.Configuration;

/// <summary>The resolved data folder and the files that live in it.</summary>
public sealed class PortalPaths
{
    public PortalPaths(string contentRoot, PortalOptions options)
    {
        DataDirectory = Path.GetFullPath(Path.IsPathRooted(options.DataDirectory)
            ? options.DataDirectory
            : Path.Combine(contentRoot, options.DataDirectory));
    }

    public string DataDirectory { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, "portal.db");

    /// <summary>Hangfire's own storage (queues, recurring registrations), apart from the portal's database.</summary>
    public string HangfireDatabaseFile => Path.Combine(DataDirectory, "hangfire.db");

    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    public string ExportsDirectory => Path.Combine(DataDirectory, "exports");

    public string ConnectionString => $"Data Source={DatabaseFile};Pooling=True;Default Timeout=30";

    /// <summary>Owner read/write only (0600): the database files.</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner only (0700): the keys and exports folders.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the data folder and what lives in it, readable by the portal's user only: the
    /// Data Protection keys (they decrypt card tokens) and exports in 0700 folders, portal.db
    /// and hangfire.db as 0600 files created here before SQLite opens them (SQLite gives the
    /// -wal and -shm files the database file's mode). Existing ones are tightened to the same.
    /// </summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(DataDirectory);
        PrivateFolder(KeysDirectory);
        PrivateFolder(ExportsDirectory);
        PrivateDatabase(DatabaseFile);
        PrivateDatabase(HangfireDatabaseFile);
    }

    private static void PrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, PrivateDirectory);
        File.SetUnixFileMode(path, PrivateDirectory);
    }

    private static void PrivateDatabase(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!File.Exists(file))
        {
            try
            {
                // An empty file is an empty SQLite database; SQLite keeps the mode it was created with.
                using var created = new FileStream(file, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite, UnixCreateMode = PrivateFile,
                });
            }
            catch (IOException) when (File.Exists(file))
            {
                // Created meanwhile by another instance.
            }
        }
        File.SetUnixFileMode(file, PrivateFile);
        foreach (var sidecar in new[] { file + "-wal", file + "-shm", file + "-journal" })
            if (File.Exists(sidecar)) File.SetUnixFileMode(sidecar, PrivateFile);
    }
}
