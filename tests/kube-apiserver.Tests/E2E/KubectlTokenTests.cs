using KubeApiserver.Tests.Security;
using NUnit.Framework;

namespace KubeApiserver.Tests.E2E;

/// <summary><c>kubectl create token</c>, and kubectl authenticating with the service-account tokens it got.</summary>
[TestFixture]
[Category("E2E")]
internal sealed class KubectlTokenTests : KubectlFixture
{
    private string _ns = "";

    protected override async Task OnStartedAsync()
    {
        _ns = "tokens-" + Guid.NewGuid().ToString("N")[..6];
        await Kubectl.OkAsync($"create namespace {_ns}");
        await Kubectl.OkAsync($"create serviceaccount bot -n {_ns}");
    }

    [Test]
    public async Task CreateToken_GivesATokenKubectlAuthenticatesWith()
    {
        var token = (await Kubectl.OkAsync($"create token bot -n {_ns}")).Trim();
        var asBot = new Kubectl(Server.WriteTokenKubeconfig(token));

        var whoami = await asBot.OkAsync("auth whoami -o jsonpath={.status.userInfo.username}");
        Assert.That(whoami, Is.EqualTo($"system:serviceaccount:{_ns}:bot"));

        var (code, _, error) = await asBot.RunAsync($"get secrets -n {_ns}");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.Trim(), Is.EqualTo($"Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:{_ns}:bot\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{_ns}\""));

        await Kubectl.OkAsync($"create rolebinding bot-view --clusterrole=view --serviceaccount={_ns}:bot -n {_ns}");
        await Kubectl.OkAsync($"create configmap settings -n {_ns}");
        Assert.That(await asBot.OkAsync($"get configmaps -n {_ns} -o name"), Does.Contain("configmap/settings"));
        Assert.That(await asBot.OkAsync($"auth can-i list configmaps -n {_ns}"), Is.EqualTo("yes\n"));
    }

    [Test]
    public async Task CreateToken_WithAudienceDurationAndBoundPod_IsRefusedOnceThePodIsGone()
    {
        await Kubectl.OkAsync($"run worker -n {_ns} --image=busybox --overrides={{\"spec\":{{\"serviceAccountName\":\"bot\"}}}}");
        var token = (await Kubectl.OkAsync($"create token bot -n {_ns} --audience vault --audience {ServiceAccountDefaults.Issuer} --duration 15m --bound-object-kind Pod --bound-object-name worker")).Trim();

        var claims = TokenTestSupport.Claims(token);
        Assert.Multiple(() =>
        {
            Assert.That(claims["aud"]!.ToJsonString(), Is.EqualTo($"[\"vault\",\"{ServiceAccountDefaults.Issuer}\"]"));
            Assert.That(claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>(), Is.EqualTo(900));
            Assert.That(claims["kubernetes.io"]!["pod"]!["name"]!.ToString(), Is.EqualTo("worker"));
        });
        var asWorker = new Kubectl(Server.WriteTokenKubeconfig(token));
        Assert.That(await asWorker.OkAsync("auth whoami -o jsonpath={.status.userInfo.extra.authentication\\.kubernetes\\.io/pod-name}"), Is.EqualTo("[\"worker\"]"));

        await Kubectl.OkAsync($"delete pod worker -n {_ns} --grace-period=0 --force");
        var (code, _, error) = await asWorker.RunAsync("auth whoami");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("Unauthorized"));
    }

    [Test]
    public async Task CreateToken_TooShort_PrintsKubesValidationError()
    {
        var (code, _, error) = await Kubectl.RunAsync($"create token bot -n {_ns} --duration 5m");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error.Trim(), Is.EqualTo("error: failed to create token: TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes"));
    }

    [Test]
    public async Task KubectlWithTokenFlag_IsTheAccount_AndReadsTheIssuerDocument()
    {
        var token = (await Kubectl.OkAsync($"create token bot -n {_ns}")).Trim();
        // --token overrides the kubeconfig's (refused) credential.
        var asBot = new Kubectl(Server.WriteTokenKubeconfig("not-a-valid-token"));
        Assert.That(await asBot.OkAsync($"--token {token} auth whoami -o jsonpath={{.status.userInfo.username}}"), Is.EqualTo($"system:serviceaccount:{_ns}:bot"));
        Assert.That((await asBot.RunAsync("auth whoami")).Error, Does.Contain("Unauthorized"));
        asBot = new Kubectl(Server.WriteTokenKubeconfig(token));
        var document = await asBot.OkAsync("get --raw /.well-known/openid-configuration");
        Assert.That(document, Does.StartWith($"{{\"issuer\":\"{ServiceAccountDefaults.Issuer}\",\"jwks_uri\":"));
        Assert.That(await asBot.OkAsync("get --raw /openid/v1/jwks"), Does.Contain("\"kid\":\"" + TokenTestSupport.Header(token)["kid"]));
    }

    private static class ServiceAccountDefaults
    {
        public const string Issuer = Apiserver.Kube.ServiceAccounts.ServiceAccountTokenConfig.DefaultIssuer;
    }
}
