using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary>The kube-apiserver executable as users run it: a child process with flags, signals and a data directory.</summary>
[TestFixture]
[Category("E2E")]
public sealed partial class ExecutableTests
{
    private string _dataDir = null!;

    [SetUp]
    public void CreateDataDir() => _dataDir = Directory.CreateTempSubdirectory("kube-apiserver-exe-").FullName;

    [TearDown]
    public void DeleteDataDir() => Directory.Delete(_dataDir, recursive: true);

    [Test]
    public async Task Help_ListsKubeApiserverFlags()
    {
        using var process = Start("--help");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(output, Does.Contain("--secure-port").And.Contain("--bind-address").And.Contain("--data-dir").And.Contain("--token-auth-file"));
    }

    [Test]
    public async Task InvalidFlags_ExitNonZeroNamingEveryProblem()
    {
        using var process = Start($"--data-dir {_dataDir} --bind-address nowhere --authorization-mode Magic");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain("--bind-address").And.Contain("Magic"));
    }

    [Test]
    public async Task KillNine_LosesNoAcknowledgedWrite()
    {
        var (process, address) = await StartServerAsync();
        using var http = Client(address);
        var created = new List<string>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var name = $"durable-{i}";
                using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps",
                    new StringContent($$$"""{"metadata":{"name":"{{{name}}}"}}""", Encoding.UTF8, "application/json"));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
                created.Add(name);
            }
        }
        finally
        {
            process.Kill(); // SIGKILL: no shutdown code runs.
            await process.WaitForExitAsync();
            process.Dispose();
        }

        var (again, address2) = await StartServerAsync();
        try
        {
            using var http2 = Client(address2);
            foreach (var name in created)
            {
                using var response = await http2.GetAsync($"/api/v1/namespaces/default/configmaps/{name}");
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), name);
            }
        }
        finally
        {
            again.Kill();
            await again.WaitForExitAsync();
            again.Dispose();
        }
    }

    [Test]
    public async Task Sigterm_ShutsDownGracefully()
    {
        var (process, _) = await StartServerAsync();
        using (process)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
                Assert.That(kill.ExitCode, Is.Zero);
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.Zero);
        }
    }

    private async Task<(Process Process, Uri Address)> StartServerAsync()
    {
        var process = Start($"--data-dir {_dataDir} --secure-port 0");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (ServingLine().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(); // Keep draining so the child never blocks on a full pipe.
                _ = process.StandardError.ReadToEndAsync();
                return (process, new Uri(match.Groups[1].Value));
            }
        }
        throw new InvalidOperationException("the server exited before serving: " + await process.StandardError.ReadToEndAsync());
    }

    private HttpClient Client(Uri address)
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        var token = File.ReadAllText(Path.Combine(_dataDir, "admin-token.csv")).Split(',')[0];
        var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Process Start(string arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "kube-apiserver.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info)!;
    }

    [GeneratedRegex(@"serving at (https://\S+?)/?$")]
    private static partial Regex ServingLine();
}
