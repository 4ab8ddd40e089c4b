using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Apiserver.Tests.Shared;

/// <summary>
/// A real etcd cluster for tests: 1 or 3 <c>/usr/bin/etcd</c> members on free loopback ports, each
/// with a temporary data directory. Members can be stopped (killed, as a crash would) and started
/// again over their data. Disposing kills every member and deletes the directories.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    /// <summary>Where Debian's etcd-server package installs etcd.</summary>
    public const string EtcdPath = "/usr/bin/etcd";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Member[] _members;
    private readonly string _root;

    private EtcdCluster(string root, Member[] members)
    {
        _root = root;
        _members = members;
    }

    /// <summary>The members' client URLs, in member order.</summary>
    public IReadOnlyList<string> ClientUrls => [.. _members.Select(m => m.ClientUrl)];

    /// <summary>How many members the cluster has.</summary>
    public int Size => _members.Length;

    /// <summary>
    /// Starts a cluster of <paramref name="size"/> members and waits until it is healthy.
    /// <paramref name="progressNotifyInterval"/> sets etcd's own watch progress interval (10 minutes by default).
    /// </summary>
    public static async Task<EtcdCluster> StartAsync(int size = 1, TimeSpan? progressNotifyInterval = null)
    {
        if (!File.Exists(EtcdPath))
        {
            throw new InvalidOperationException($"{EtcdPath} is missing: install Debian's etcd-server package (tests/run.sh does).");
        }

        var root = Directory.CreateTempSubdirectory("etcd-test-").FullName;
        var token = "test-" + Guid.NewGuid().ToString("N")[..12];
        var ports = FreePorts(2 * size);
        var members = Enumerable.Range(0, size)
            .Select(i => new Member($"m{i}", Path.Combine(root, $"m{i}"), ports[2 * i], ports[(2 * i) + 1]))
            .ToArray();
        var initialCluster = string.Join(",", members.Select(m => $"{m.Name}={m.PeerUrl}"));
        // Short raft timings keep start-up and fail-over fast; one member elects itself sooner.
        var (heartbeat, election) = size == 1 ? (25, 250) : (50, 500);
        foreach (var m in members)
        {
            m.Arguments =
            [
                "--name", m.Name, "--data-dir", m.DataDir,
                "--listen-client-urls", m.ClientUrl, "--advertise-client-urls", m.ClientUrl,
                "--listen-peer-urls", m.PeerUrl, "--initial-advertise-peer-urls", m.PeerUrl,
                "--initial-cluster", initialCluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
                "--heartbeat-interval", heartbeat.ToString(), "--election-timeout", election.ToString(),
                "--snapshot-count", "5000", "--quota-backend-bytes", (256L << 20).ToString(),
                "--experimental-watch-progress-notify-interval", $"{(long)(progressNotifyInterval ?? TimeSpan.FromMinutes(10)).TotalMilliseconds}ms",
                "--logger", "zap", "--log-level", "warn",
            ];
        }

        var cluster = new EtcdCluster(root, members);
        try
        {
            foreach (var m in members)
            {
                m.Start();
            }

            await Task.WhenAll(members.Select(m => m.WaitHealthyAsync(StartTimeout)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills member <paramref name="index"/> (SIGKILL, as a crash) and waits until it has exited.</summary>
    public Task StopAsync(int index) => _members[index].StopAsync();

    /// <summary>Starts member <paramref name="index"/> again over its data directory; with <paramref name="waitHealthy"/>, waits until the cluster answers through it.</summary>
    public async Task RestartAsync(int index, bool waitHealthy = true)
    {
        var member = _members[index];
        member.Start();
        if (waitHealthy)
        {
            await member.WaitHealthyAsync(StartTimeout);
        }
    }

    /// <summary>Waits until member <paramref name="index"/> reports a healthy cluster (a leader and a quorum).</summary>
    public Task WaitHealthyAsync(int index) => _members[index].WaitHealthyAsync(StartTimeout);

    /// <summary>The last lines etcd printed, for failure messages.</summary>
    public string RecentLog(int index) => string.Join(Environment.NewLine, _members[index].Log);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_members.Select(m => m.StopAsync()));
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int[] FreePorts(int count)
    {
        // Hold every listener until all ports are chosen, so no two are the same.
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return l;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    private sealed class Member(string name, string dataDir, int clientPort, int peerPort)
    {
        private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
        private Process? _process;

        public string Name { get; } = name;
        public string DataDir { get; } = dataDir;
        public string ClientUrl { get; } = $"http://127.0.0.1:{clientPort}";
        public string PeerUrl { get; } = $"http://127.0.0.1:{peerPort}";
        public string[] Arguments { get; set; } = [];
        public ConcurrentQueue<string> Log { get; } = new();

        public void Start()
        {
            if (_process is { HasExited: false })
            {
                throw new InvalidOperationException($"etcd member {Name} is running already.");
            }

            var info = new ProcessStartInfo(EtcdPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in Arguments)
            {
                info.ArgumentList.Add(argument);
            }

            _process = Process.Start(info) ?? throw new InvalidOperationException("etcd did not start");
            _process.OutputDataReceived += (_, e) => Remember(e.Data);
            _process.ErrorDataReceived += (_, e) => Remember(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task StopAsync()
        {
            if (_process is not { } process)
            {
                return;
            }

            _process = null;
            try
            {
                process.Kill();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (InvalidOperationException)
            {
                // It had exited already.
            }
            finally
            {
                process.Dispose();
            }
        }

        public async Task WaitHealthyAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (_process is null or { HasExited: true })
                {
                    throw new InvalidOperationException($"etcd member {Name} exited:{Environment.NewLine}{string.Join(Environment.NewLine, Log)}");
                }

                try
                {
                    var body = await Http.GetStringAsync($"{ClientUrl}/health");
                    if (body.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening or no leader yet.
                }

                await Task.Delay(25);
            }

            throw new TimeoutException($"etcd member {Name} was not healthy within {timeout}:{Environment.NewLine}{string.Join(Environment.NewLine, Log)}");
        }

        private void Remember(string? line)
        {
            if (line is null)
            {
                return;
            }

            Log.Enqueue(line);
            while (Log.Count > 40 && Log.TryDequeue(out _))
            {
            }
        }
    }
}
