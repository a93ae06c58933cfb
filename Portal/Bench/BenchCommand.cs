namespace Portal.Bench;

/// <summary>Entry of <c>dotnet run -c Release --project Portal -- --bench</c>.</summary>
public static class BenchCommand
{
    public static bool IsRequested(string[] args) => args.Contains("--bench", StringComparer.Ordinal);

    public static Task<int> RunAsync(string[] args) => Task.FromResult(1);
}
