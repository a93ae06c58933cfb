using System.Runtime.CompilerServices;
using Bunit;

namespace Portal.Tests.Components;

/// <summary>
/// bunit waits one second by default for a render to match. Component tests here render against a
/// real SQLite database while the browser tests run in the same process, and on a 2-core machine
/// under the full suite one second is not enough: a wait that should succeed timed out in CI-like runs.
/// A generous timeout costs nothing when the condition is met early.
/// </summary>
internal static class BunitDefaults
{
    [ModuleInitializer]
    internal static void Initialize() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(20);
}
