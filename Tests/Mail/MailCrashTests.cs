using System.Diagnostics;
using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Mail;

/// <summary>
/// The Gateway as a process of its own (<c>dotnet Gateway.dll</c>, co-hosting its silo on a SQLite file), killed with
/// SIGKILL after a confirm was acknowledged and before its mail could go out, then started again.
/// </summary>
public sealed class MailCrashTests
{
    [Fact]
    public async Task KilledAfterAnAcknowledgedConfirm_BeforeItsMailWentOut_TheRestartedGatewaySendsIt_WithNoOtherRequest()
    {
        await using var sink = new SmtpSink(); // not started yet: the mail cannot go out before the kill
        var data = Directory.CreateTempSubdirectory("tourplanner-crash-").FullName;
        var ports = (Http: GatewayFactory.FreePort(), Silo: GatewayFactory.FreePort(), Gateway: GatewayFactory.FreePort());
        Process? process = null;
        try
        {
            process = await StartGatewayAsync(data, ports, sink.Port);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Http}") };
            var created = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: new
            {
                name = "Crash tour", timeZone = "America/New_York", startDate = "2026-10-22", endDate = "2026-12-31",
                speakers = new[] { new { name = "R", homeTimeZone = "America/New_York" } },
            }), HttpStatusCode.Created);
            var (id, organizer) = (created.Str("id"), created.Str("organizerToken"));
            var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
                new { name = "Group", contactEmail = "crash-host@example.org" }), HttpStatusCode.Created);
            var claim = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host.Str("inviteToken"),
                ApiScenario.ClaimBody("2026-12-02")), HttpStatusCode.Created);
            await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims/{claim.Str("claimId")}/confirm", organizer), HttpStatusCode.OK);

            // Acknowledged; the mail server is down, so nothing went out. Now the process dies without a chance to react.
            process.Kill(); // SIGKILL
            await process.WaitForExitAsync();
            Assert.Equal(0, sink.Count);

            await sink.StartAsync();
            process = await StartGatewayAsync(data, ports, sink.Port);
            // No request at all: the restarted Gateway finds the pending mail by itself.
            var mail = await sink.WaitForAsync(id, m => m.Any(x => x.Subject.Contains("is confirmed", StringComparison.Ordinal)), timeoutSeconds: 90);
            var confirmed = Assert.Single(mail, m => m.Subject.Contains("is confirmed", StringComparison.Ordinal));
            Assert.Equal(["crash-host@example.org"], confirmed.EnvelopeTo);
            Assert.Equal("REQUEST", Assert.Single(confirmed.Calendars).GetProperty("methodParameter").GetString());
            Assert.Single(mail, m => m.Subject.Contains("was received", StringComparison.Ordinal));
        }
        finally
        {
            if (process is { HasExited: false })
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process?.Dispose();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Starts <c>dotnet Gateway.dll</c> with its own SQLite file and ports, and waits until it answers.</summary>
    private static async Task<Process> StartGatewayAsync(string data, (int Http, int Silo, int Gateway) ports, int smtpPort)
    {
        var dll = GatewayDll();
        var info = new ProcessStartInfo(ExternalToolPath("dotnet"), [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var settings = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{ports.Http}",
            ["Storage__ConnectionString"] = $"Data Source={Path.Combine(data, "tourplanner.db")}",
            ["Orleans__SiloPort"] = ports.Silo.ToString(), ["Orleans__GatewayPort"] = ports.Gateway.ToString(),
            ["Orleans__ClusterId"] = "crash-" + Path.GetFileName(data),
            ["Gateway__PublicBaseUrl"] = MailFixture.BaseUrl,
            ["Mail__SmtpHost"] = "127.0.0.1", ["Mail__Port"] = smtpPort.ToString(), ["Mail__Security"] = "None", ["Mail__From"] = MailFixture.From,
            ["Mail__PollInterval"] = "00:00:00.200", ["Mail__RetryDelay"] = "00:00:01", ["Mail__Timeout"] = "00:00:05",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings) info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"The Gateway exited with code {(process.HasExited ? process.ExitCode : 0)}.");
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{ports.Http}/healthz")).IsSuccessStatusCode) return process;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        process.Kill();
        Assert.Fail("The Gateway did not answer /healthz within 90 s.");
        return process;
    }

    /// <summary>The Gateway built beside these tests (same configuration).</summary>
    private static string GatewayDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Gateway", "bin", configuration, "net10.0", "Gateway.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("Gateway/bin/.../Gateway.dll not found: build the solution first.");
    }

    private static string ExternalToolPath(string name) =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == name ? self : Calendar.ExternalTool.RequireOnPath(name);
}
