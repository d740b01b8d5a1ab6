using System.ComponentModel;
using System.Diagnostics;

namespace TourPlanner.Tests.Calendar;

/// <summary>Runs a third-party client as a child process and stops it by id if it overruns.</summary>
public static class ExternalTool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public Result EnsureSuccess(string what)
        {
            Assert.True(ExitCode == 0, $"{what} exited with {ExitCode}.\nstdout:\n{StdOut}\nstderr:\n{StdErr}");
            return this;
        }
    }

    /// <summary>Runs <paramref name="fileName"/>; a missing tool fails the test with the install hint, never skips it.</summary>
    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["LANG"] = "C.UTF-8";
        info.Environment["LC_ALL"] = "C.UTF-8";
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        info.Environment["TZ"] = "UTC";
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"'{fileName}' is not installed or not on PATH ({e.Message}). Install the calendar clients as described in Tests/Calendar/clients/INSTALL.md.");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"'{fileName} {string.Join(' ', info.ArgumentList)}' did not finish within {timeout ?? DefaultTimeout}; it was stopped.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Full path of an executable on PATH, or a failure naming the install instructions.</summary>
    public static string RequireOnPath(string name)
    {
        if (Path.IsPathRooted(name))
        {
            Assert.True(File.Exists(name), $"'{name}' does not exist. Install the calendar clients as described in Tests/Calendar/clients/INSTALL.md.");
            return name;
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"'{name}' is not on PATH. Install the calendar clients as described in Tests/Calendar/clients/INSTALL.md.");
        return found!;
    }
}
