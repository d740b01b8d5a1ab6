using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>
/// Playwright's expectations wait 5 s by default. Page tests run beside 1,600 others on two cores, where a page's
/// first render can take longer; an expectation still fails, only later, when what it waits for never comes.
/// </summary>
internal static class PlaywrightDefaults
{
    [ModuleInitializer]
    internal static void Set() => Assertions.SetDefaultExpectTimeout(15_000);
}
