using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>
/// A process the tests start (a silo, a Gateway, PostgreSQL's tools), its output kept for assertions and failure
/// messages. A small watchdog kills it when this test process goes away without stopping it (a crash, a kill),
/// so no run leaves processes behind. Stopped by pid: SIGTERM, SIGKILL, never by name.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far, line by line.</summary>
    public IReadOnlyList<string> Output => [.. _lines];

    /// <summary>Starts <paramref name="file"/> with the given environment additions, guarded by the watchdog.</summary>
    public static ChildProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        // The watchdog polls this test process; $$ is the child itself once exec has replaced the shell.
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("p=$1; shift; (while kill -0 \"$p\" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done; kill -9 $$ 2>/dev/null) </dev/null >/dev/null 2>&1 & exec \"$@\"");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(file);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a short command to its end and returns its exit code and output; fails the test past the timeout.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        await using var child = Start(Path.GetFileName(file), file, args, environment);
        await child.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(2));
        return (child.ExitCode, string.Join('\n', child.Output));
    }

    /// <summary>Waits until a line of output satisfies <paramref name="match"/>, or fails with the output so far.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_lines.Any(match))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{Head()}\n…\n{Tail(20)}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} was not ready within {timeout}:\n{Tail()}");
            await Task.Delay(50);
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} (pid {Pid}) did not exit within {timeout}:\n{Tail()}");
        }
    }

    /// <summary>SIGTERM: the graceful stop a service manager sends.</summary>
    public void Terminate() => Signal(15);

    /// <summary>SIGKILL (kill -9): the process gets no chance to flush or say goodbye.</summary>
    public void Kill9() => Signal(9);

    public string Tail(int lines = 60) => string.Join('\n', _lines.TakeLast(lines));

    /// <summary>The first lines of a crash say what it was; the stack after them rarely does.</summary>
    public string Head(int lines = 40) => string.Join('\n', _lines.Take(lines));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Terminate();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await _process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { Kill9(); await _process.WaitForExitAsync(); }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited) _ = SysKill(_process.Id, signal);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
}
