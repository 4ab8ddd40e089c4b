using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace KubeApiserver.Tests.Http;

/// <summary>
/// batch/v1 (jobs and cron jobs), policy/v1 (pod disruption budgets) and networking.k8s.io/v1
/// (network policies and ingress classes), discovery.k8s.io/v1 (endpoint slices): discovery, kube's
/// defaults and generated selector, status and generation, validation and tables, as
/// kube-apiserver 1.34.
/// </summary>
[TestFixture]
public sealed class BatchAndNetworkingTests : ServerFixture
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    private const string PodTemplate = """{"spec":{"restartPolicy":"Never","containers":[{"name":"pi","image":"perl:5.34"}]}}""";
    private const string JobJson = """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi"},"spec":{"template":""" + PodTemplate + "}}";
    private const string CronJobJson = """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"hello"},"spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":""" + PodTemplate + "}}}}";

    private static readonly object[] Resources =
    [
        new object[] { "jobs", "job", "Job", Array.Empty<string>() },
        new object[] { "cronjobs", "cronjob", "CronJob", new[] { "cj" } },
    ];

    [TestCaseSource(nameof(Resources))]
    public async Task Discovery_ReportsKubesEntry(string plural, string singular, string kind, string[] shortNames)
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/apis/batch/v1")).Body["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.ToString(), r => r!);
        var entry = resources[plural];
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo(singular));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo(kind));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.True);
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(AllVerbs));
            Assert.That((entry["shortNames"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(shortNames));
            Assert.That((entry["categories"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(new[] { "all" }));
            Assert.That(resources[plural + "/status"]["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(SubresourceVerbs));
        });
    }

    [Test]
    public async Task Discovery_ListsTheBatchGroup()
    {
        var groups = (await Http.SendAsync(HttpMethod.Get, "/apis")).Body["groups"]!.AsArray();
        var batch = groups.Single(g => g!["name"]!.ToString() == "batch")!;
        Assert.That(batch["preferredVersion"]!["groupVersion"]!.ToString(), Is.EqualTo("batch/v1"));
    }

    [Test]
    public async Task Job_GetsKubesDefaultsAndGeneratedSelector()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/jobs", JobJson);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var job = created.Body;
        var spec = job["spec"]!;
        var uid = job["metadata"]!["uid"]!.ToString();
        var labels = spec["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(spec["completions"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(spec["parallelism"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(spec["backoffLimit"]!.GetValue<int>(), Is.EqualTo(6));
            Assert.That(spec["completionMode"]!.ToString(), Is.EqualTo("NonIndexed"));
            Assert.That(spec["suspend"]!.GetValue<bool>(), Is.False);
            Assert.That(spec["manualSelector"]!.GetValue<bool>(), Is.False);
            Assert.That(spec["podReplacementPolicy"]!.ToString(), Is.EqualTo("TerminatingOrFailed"));
            Assert.That(spec["selector"]!.ToJsonString(), Is.EqualTo($$$"""{"matchLabels":{"batch.kubernetes.io/controller-uid":"{{{uid}}}"}}"""));
            Assert.That(labels["controller-uid"]!.ToString(), Is.EqualTo(uid));
            Assert.That(labels["batch.kubernetes.io/controller-uid"]!.ToString(), Is.EqualTo(uid));
            Assert.That(labels["job-name"]!.ToString(), Is.EqualTo("pi"));
            Assert.That(labels["batch.kubernetes.io/job-name"]!.ToString(), Is.EqualTo("pi"));
            Assert.That(spec["template"]!["spec"]!["dnsPolicy"]!.ToString(), Is.EqualTo("ClusterFirst"));
            Assert.That(spec["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.ToString(), Is.EqualTo("IfNotPresent"));
            Assert.That(job["status"]!.ToJsonString(), Is.EqualTo("{}"));
            Assert.That(job["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Job_OnlyParallelism_LeavesCompletionsUnset()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/jobs",
            """{"metadata":{"name":"p"},"spec":{"parallelism":3,"template":""" + PodTemplate + "}}");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(created.Body["spec"]!["completions"], Is.Null);
            Assert.That(created.Body["spec"]!["parallelism"]!.GetValue<int>(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Job_ManualSelector_IsKept()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/jobs",
            """{"metadata":{"name":"m"},"spec":{"manualSelector":true,"selector":{"matchLabels":{"app":"m"}},"template":{"metadata":{"labels":{"app":"m"}},"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox"}]}}}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(created.Body["spec"]!["selector"]!.ToJsonString(), Is.EqualTo("""{"matchLabels":{"app":"m"}}"""));
            Assert.That(created.Body["spec"]!["template"]!["metadata"]!["labels"]!.ToJsonString(), Is.EqualTo("""{"app":"m"}"""));
        });
    }

    [Test]
    public async Task Job_StatusAndTemplate()
    {
        var ns = await NewNamespaceAsync();
        var path = $"/apis/batch/v1/namespaces/{ns}/jobs/pi";
        Assert.That((await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/jobs", JobJson)).Code, Is.EqualTo(HttpStatusCode.Created));
        var status = await Http.SendAsync(HttpMethod.Patch, path + "/status", """{"status":{"succeeded":1,"active":0}}""", "application/merge-patch+json");
        Assert.That(status.Code, Is.EqualTo(HttpStatusCode.OK), status.Body.ToJsonString());
        Assert.That(status.Body["status"]!["succeeded"]!.GetValue<int>(), Is.EqualTo(1));

        var body = (await Http.SendAsync(HttpMethod.Patch, path,
            """{"spec":{"template":{"spec":{"containers":[{"name":"pi","image":"perl:5.36"}]}}}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]!.AsArray().Single(c => c!["field"]!.ToString() == "spec.template")!;
        Assert.That(cause["message"]!.ToString(), Does.EndWith("field is immutable"));

        var suspended = await Http.SendAsync(HttpMethod.Patch, path, """{"spec":{"suspend":true}}""", "application/merge-patch+json");
        Assert.That(suspended.Code, Is.EqualTo(HttpStatusCode.OK), suspended.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(suspended.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(suspended.Body["status"]!["succeeded"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CronJob_GetsKubesDefaults()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/cronjobs", CronJobJson);
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var spec = created.Body["spec"]!;
        Assert.Multiple(() =>
        {
            Assert.That(spec["concurrencyPolicy"]!.ToString(), Is.EqualTo("Allow"));
            Assert.That(spec["suspend"]!.GetValue<bool>(), Is.False);
            Assert.That(spec["successfulJobsHistoryLimit"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(spec["failedJobsHistoryLimit"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(spec["jobTemplate"]!["spec"]!["backoffLimit"], Is.Null, "the job template gets no job defaults");
            Assert.That(spec["jobTemplate"]!["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!.GetValue<int>(), Is.EqualTo(30));
            Assert.That(created.Body["status"]!.ToJsonString(), Is.EqualTo("{}"));
        });
    }

    private const string NeverTemplate = """{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}""";

    // (resource, body, field, reason, message fragment)
    private static readonly object[] Invalid =
    [
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"x"}]}}}}""", "spec.template.spec.restartPolicy", "FieldValueNotSupported", "supported values: \"OnFailure\", \"Never\"" },
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"parallelism":-1,"template":""" + NeverTemplate + "}}", "spec.parallelism", "FieldValueInvalid", "must be greater than or equal to 0" },
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"backoffLimit":-1,"template":""" + NeverTemplate + "}}", "spec.backoffLimit", "FieldValueInvalid", "must be greater than or equal to 0" },
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"completionMode":"Sometimes","template":""" + NeverTemplate + "}}", "spec.completionMode", "FieldValueNotSupported", "supported values: \"NonIndexed\", \"Indexed\"" },
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"completionMode":"Indexed","parallelism":2,"template":""" + NeverTemplate + "}}", "spec.completions", "FieldValueRequired", "when completion mode is Indexed" },
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"other"}},"template":""" + NeverTemplate + "}}", "spec.selector", "FieldValueInvalid", "`selector` not auto-generated" },
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"manualSelector":true,"template":""" + NeverTemplate + "}}", "spec.selector", "FieldValueRequired", "" },
        new object[] { "jobs", """{"metadata":{"name":"j"},"spec":{"manualSelector":true,"selector":{"matchLabels":{"a":"b"}},"template":""" + NeverTemplate + "}}", "spec.template.metadata.labels", "FieldValueInvalid", "`selector` does not match template `labels`" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "spec.schedule", "FieldValueRequired", "" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"foo","jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "spec.schedule", "FieldValueInvalid", "expected exactly 5 fields, found 1: [foo]" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"61 * * * *","jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "spec.schedule", "FieldValueInvalid", "end of range (61) above maximum (59): 61" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"@often","jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "spec.schedule", "FieldValueInvalid", "unrecognized descriptor: @often" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"TZ=UTC 0 * * * *","jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "spec.schedule", "FieldValueInvalid", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"0 * * * *","timeZone":"Mars/Base","jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "spec.timeZone", "FieldValueInvalid", "unknown time zone Mars/Base" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"0 * * * *","concurrencyPolicy":"Sometimes","jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "spec.concurrencyPolicy", "FieldValueNotSupported", "supported values: \"Allow\", \"Forbid\", \"Replace\"" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"0 * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"x"}]}}}}}}""", "spec.jobTemplate.spec.template.spec.restartPolicy", "FieldValueNotSupported", "supported values: \"OnFailure\", \"Never\"" },
        new object[] { "cronjobs", """{"metadata":{"name":"c"},"spec":{"schedule":"0 * * * *","jobTemplate":{"spec":{"selector":{"matchLabels":{"a":"b"}},"template":""" + NeverTemplate + "}}}}", "spec.jobTemplate.spec.selector", "FieldValueInvalid", "`selector` will be auto-generated" },
        new object[] { "cronjobs", """{"metadata":{"name":"a-name-that-is-longer-than-fifty-two-characters-in-total"},"spec":{"schedule":"0 * * * *","jobTemplate":{"spec":{"template":""" + NeverTemplate + "}}}}", "metadata.name", "FieldValueInvalid", "must be no more than 52 characters" },
    ];

    [TestCaseSource(nameof(Invalid))]
    public async Task InvalidObject_Answers422WithKubesFieldError(string plural, string json, string field, string reason, string message)
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/{plural}", json)).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]!.AsArray().FirstOrDefault(c => c!["field"]?.ToString() == field);
        Assert.That(cause, Is.Not.Null, body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(cause!["reason"]!.ToString(), Is.EqualTo(reason));
            Assert.That(cause["message"]!.ToString(), Does.Contain(message));
        });
    }

    [TestCase("@hourly")]
    [TestCase("@every 1h30m")]
    [TestCase("0 0 1 jan,jul mon-fri")]
    [TestCase("*/15 9-17 * * 1-5")]
    [TestCase("5/10 * ? * *")]
    public async Task CronJob_AcceptsStandardSchedules(string schedule)
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/cronjobs",
            CronJobJson.Replace("*/5 * * * *", schedule, StringComparison.Ordinal));
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
    }

    [Test]
    public async Task Tables_ShowKubesColumns()
    {
        var ns = await NewNamespaceAsync();
        await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/jobs", JobJson);
        await Http.SendAsync(HttpMethod.Patch, $"/apis/batch/v1/namespaces/{ns}/jobs/pi/status",
            """{"status":{"succeeded":1,"startTime":"2025-01-01T00:00:00Z","completionTime":"2025-01-01T00:01:05Z","conditions":[{"type":"Complete","status":"True"}]}}""", "application/merge-patch+json");
        await Http.SendAsync(HttpMethod.Post, $"/apis/batch/v1/namespaces/{ns}/cronjobs", CronJobJson);
        var jobs = await TableAsync($"/apis/batch/v1/namespaces/{ns}/jobs");
        var cronjobs = await TableAsync($"/apis/batch/v1/namespaces/{ns}/cronjobs");
        Assert.Multiple(() =>
        {
            Assert.That(Columns(jobs), Is.EqualTo(new[] { "Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector" }));
            var cells = Cells(jobs);
            Assert.That(cells[..4], Is.EqualTo(new[] { "pi", "Complete", "1/1", "65s" }));
            Assert.That(cells[5..7], Is.EqualTo(new[] { "pi", "perl:5.34" }));
            Assert.That(cells[7], Does.StartWith("batch.kubernetes.io/controller-uid="));
            Assert.That(Columns(cronjobs), Is.EqualTo(new[] { "Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images", "Selector" }));
            var cron = Cells(cronjobs);
            Assert.That(cron[..6], Is.EqualTo(new[] { "hello", "*/5 * * * *", "<none>", "False", "0", "<none>" }));
            Assert.That(cron[7..], Is.EqualTo(new[] { "pi", "perl:5.34", "<none>" }));
        });
    }

    [Test]
    public async Task PodDisruptionBudget_DiscoveryStatusAndTable()
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/apis/policy/v1")).Body["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.ToString(), r => r!);
        var entry = resources["poddisruptionbudgets"];
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo("poddisruptionbudget"));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo("PodDisruptionBudget"));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.True);
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(AllVerbs));
            Assert.That(entry["shortNames"]!.AsArray().Select(v => v!.ToString()), Is.EqualTo(new[] { "pdb" }));
            Assert.That(entry["categories"], Is.Null);
            Assert.That(resources["poddisruptionbudgets/status"]["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(SubresourceVerbs));
        });

        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            """{"metadata":{"name":"db"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"db"}}}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.Multiple(() =>
        {
            Assert.That(created.Body["status"]!.ToJsonString(), Is.EqualTo("""{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}"""));
            Assert.That(created.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
        });
        await Http.SendAsync(HttpMethod.Patch, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/db/status", """{"status":{"disruptionsAllowed":2}}""", "application/merge-patch+json");
        var table = await TableAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets");
        Assert.Multiple(() =>
        {
            Assert.That(Columns(table), Is.EqualTo(new[] { "Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age" }));
            Assert.That(Cells(table)[..4], Is.EqualTo(new[] { "db", "50%", "N/A", "2" }));
        });
    }

    [TestCase("""{"minAvailable":1,"maxUnavailable":1}""", "spec", "minAvailable and maxUnavailable cannot be both set")]
    [TestCase("""{"minAvailable":-1}""", "spec.minAvailable", "must be greater than or equal to 0")]
    [TestCase("""{"maxUnavailable":"half"}""", "spec.maxUnavailable", "must be an integer or percentage (e.g '5%')")]
    [TestCase("""{"maxUnavailable":"150%"}""", "spec.maxUnavailable", "must not be greater than 100%")]
    [TestCase("""{"unhealthyPodEvictionPolicy":"Sometimes"}""", "spec.unhealthyPodEvictionPolicy", "supported values: \"AlwaysAllow\", \"IfHealthyBudget\"")]
    public async Task PodDisruptionBudget_InvalidSpec_Answers422(string spec, string field, string message)
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
            $$"""{"metadata":{"name":"p"},"spec":{{spec}}}""")).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]!.AsArray().FirstOrDefault(c => c!["field"]?.ToString() == field);
        Assert.That(cause, Is.Not.Null, body.ToJsonString());
        Assert.That(cause!["message"]!.ToString(), Does.Contain(message));
    }

    [TestCase("networkpolicies", "networkpolicy", "NetworkPolicy", true, new[] { "netpol" })]
    [TestCase("ingressclasses", "ingressclass", "IngressClass", false, new string[0])]
    public async Task Networking_DiscoveryReportsKubesEntry(string plural, string singular, string kind, bool namespaced, string[] shortNames)
    {
        var resources = (await Http.SendAsync(HttpMethod.Get, "/apis/networking.k8s.io/v1")).Body["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.ToString(), r => r!);
        var entry = resources[plural];
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo(singular));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo(kind));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.EqualTo(namespaced));
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(AllVerbs));
            Assert.That((entry["shortNames"] as JsonArray ?? []).Select(v => v!.ToString()), Is.EqualTo(shortNames));
            Assert.That(resources.ContainsKey(plural + "/status"), Is.False);
        });
    }

    [Test]
    public async Task NetworkPolicy_GetsKubesDefaultsAndTable()
    {
        var ns = await NewNamespaceAsync();
        var created = await Http.SendAsync(HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies",
            """{"metadata":{"name":"db"},"spec":{"podSelector":{"matchLabels":{"app":"db"}},"ingress":[{"ports":[{"port":5432}]}],"egress":[{"ports":[{"port":53,"protocol":"UDP"}]}]}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var spec = created.Body["spec"]!;
        Assert.Multiple(() =>
        {
            Assert.That(spec["policyTypes"]!.ToJsonString(), Is.EqualTo("""["Ingress","Egress"]"""));
            Assert.That(spec["ingress"]![0]!["ports"]![0]!["protocol"]!.ToString(), Is.EqualTo("TCP"));
            Assert.That(spec["egress"]![0]!["ports"]![0]!["protocol"]!.ToString(), Is.EqualTo("UDP"));
            Assert.That(created.Body["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1));
        });
        var deny = await Http.SendAsync(HttpMethod.Post, $"/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies", """{"metadata":{"name":"deny-all"},"spec":{}}""");
        Assert.That(deny.Body["spec"]!.ToJsonString(), Is.EqualTo("""{"podSelector":{},"policyTypes":["Ingress"]}"""));
        var table = await TableAsync($"/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies");
        Assert.Multiple(() =>
        {
            Assert.That(Columns(table), Is.EqualTo(new[] { "Name", "Pod-Selector", "Age" }));
            var rows = table["rows"]!.AsArray().Select(r => r!["cells"]!.AsArray().Select(c => c!.ToString()).Take(2).ToArray()).ToArray();
            Assert.That(rows, Has.Some.EqualTo(new[] { "db", "app=db" }));
            Assert.That(rows, Has.Some.EqualTo(new[] { "deny-all", "<none>" }));
        });
    }

    [Test]
    public async Task IngressClass_ValidationImmutabilityAndTable()
    {
        var created = await Http.SendAsync(HttpMethod.Post, "/apis/networking.k8s.io/v1/ingressclasses",
            """{"metadata":{"name":"nginx-test"},"spec":{"controller":"k8s.io/ingress-nginx","parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb"}}}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        var changed = (await Http.SendAsync(HttpMethod.Patch, "/apis/networking.k8s.io/v1/ingressclasses/nginx-test",
            """{"spec":{"controller":"example.com/other"}}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(changed["details"]!["causes"]![0]!["message"]!.ToString(), Does.EndWith("field is immutable"));
        var table = await TableAsync("/apis/networking.k8s.io/v1/ingressclasses?fieldSelector=metadata.name%3Dnginx-test");
        Assert.Multiple(() =>
        {
            Assert.That(Columns(table), Is.EqualTo(new[] { "Name", "Controller", "Parameters", "Age" }));
            Assert.That(Cells(table)[..3], Is.EqualTo(new[] { "nginx-test", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb" }));
        });
        await Http.SendAsync(HttpMethod.Delete, "/apis/networking.k8s.io/v1/ingressclasses/nginx-test");
    }

    [TestCase("networkpolicies", """{"metadata":{"name":"n"},"spec":{"policyTypes":["Sideways"]}}""", "spec.policyTypes[0]", "supported values: \"Ingress\", \"Egress\"")]
    [TestCase("networkpolicies", """{"metadata":{"name":"n"},"spec":{"policyTypes":["Ingress","Egress","Ingress"]}}""", "spec.policyTypes", "may not specify more than two policyTypes")]
    [TestCase("networkpolicies", """{"metadata":{"name":"n"},"spec":{"ingress":[{"ports":[{"protocol":"ICMP"}]}]}}""", "spec.ingress[0].ports[0].protocol", "supported values: \"SCTP\", \"TCP\", \"UDP\"")]
    [TestCase("ingressclasses", """{"metadata":{"name":"bad-1"},"spec":{}}""", "spec.controller", "Required value")]
    [TestCase("ingressclasses", """{"metadata":{"name":"bad-2"},"spec":{"controller":"nginx"}}""", "spec.controller", "must be a domain-prefixed path (such as \"acme.io/foo\")")]
    [TestCase("ingressclasses", """{"metadata":{"name":"bad-3"},"spec":{"controller":"a.io/b","parameters":{"kind":"K","name":"n","scope":"Namespace"}}}""", "spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'")]
    public async Task Networking_InvalidObject_Answers422(string plural, string json, string field, string message)
    {
        var ns = await NewNamespaceAsync();
        var path = plural == "ingressclasses" ? "/apis/networking.k8s.io/v1/ingressclasses" : $"/apis/networking.k8s.io/v1/namespaces/{ns}/{plural}";
        var body = (await Http.SendAsync(HttpMethod.Post, path, json)).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]!.AsArray().FirstOrDefault(c => c!["field"]?.ToString() == field);
        Assert.That(cause, Is.Not.Null, body.ToJsonString());
        Assert.That(cause!["message"]!.ToString(), Does.Contain(message));
    }

    [Test]
    public async Task EndpointSlice_DiscoveryDefaultsImmutabilityAndTable()
    {
        var entry = (await Http.SendAsync(HttpMethod.Get, "/apis/discovery.k8s.io/v1")).Body["resources"]!.AsArray()
            .Single(r => r!["name"]!.ToString() == "endpointslices")!;
        Assert.Multiple(() =>
        {
            Assert.That(entry["singularName"]!.ToString(), Is.EqualTo("endpointslice"));
            Assert.That(entry["kind"]!.ToString(), Is.EqualTo("EndpointSlice"));
            Assert.That(entry["namespaced"]!.GetValue<bool>(), Is.True);
            Assert.That(entry["verbs"]!.AsArray().Select(v => v!.ToString()), Is.EquivalentTo(AllVerbs));
            Assert.That(entry["shortNames"], Is.Null);
        });

        var ns = await NewNamespaceAsync();
        var path = $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices";
        var created = await Http.SendAsync(HttpMethod.Post, path,
            """{"metadata":{"name":"web-abc"},"addressType":"IPv4","ports":[{"port":80},{"name":"https","port":443}],"endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":true}},{"addresses":["10.0.0.2"]},{"addresses":["10.0.0.3"]},{"addresses":["10.0.0.4"]}]}""");
        Assert.That(created.Code, Is.EqualTo(HttpStatusCode.Created), created.Body.ToJsonString());
        Assert.That(created.Body["ports"]!.ToJsonString(), Is.EqualTo("""[{"port":80,"name":"","protocol":"TCP"},{"name":"https","port":443,"protocol":"TCP"}]"""));

        var changed = (await Http.SendAsync(HttpMethod.Patch, path + "/web-abc", """{"addressType":"IPv6","endpoints":[]}""", "application/merge-patch+json")).AssertStatus(422, "Invalid");
        Assert.That(changed["details"]!["causes"]!.AsArray().Any(c => c!["field"]!.ToString() == "addressType" && c["message"]!.ToString().EndsWith("field is immutable", StringComparison.Ordinal)), Is.True, changed.ToJsonString());

        var table = await TableAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(Columns(table), Is.EqualTo(new[] { "Name", "AddressType", "Ports", "Endpoints", "Age" }));
            Assert.That(Cells(table)[..4], Is.EqualTo(new[] { "web-abc", "IPv4", "80,443", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more..." }));
        });
    }

    [TestCase("""{"metadata":{"name":"e"},"endpoints":[]}""", "addressType", "Required value")]
    [TestCase("""{"metadata":{"name":"e"},"addressType":"IP","endpoints":[]}""", "addressType", "supported values: \"FQDN\", \"IPv4\", \"IPv6\"")]
    [TestCase("""{"metadata":{"name":"e"},"addressType":"IPv4","endpoints":[{"addresses":[]}]}""", "endpoints[0].addresses", "must contain at least 1 address")]
    [TestCase("""{"metadata":{"name":"e"},"addressType":"IPv4","endpoints":[{"addresses":["fd00::1"]}]}""", "endpoints[0].addresses[0]", "must be a valid IPv4 address")]
    [TestCase("""{"metadata":{"name":"e"},"addressType":"IPv4","endpoints":[],"ports":[{"port":70000}]}""", "ports[0].port", "must be between 1 and 65535, inclusive")]
    public async Task EndpointSlice_Invalid_Answers422(string json, string field, string message)
    {
        var ns = await NewNamespaceAsync();
        var body = (await Http.SendAsync(HttpMethod.Post, $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices", json)).AssertStatus(422, "Invalid");
        var cause = body["details"]!["causes"]!.AsArray().FirstOrDefault(c => c!["field"]?.ToString() == field);
        Assert.That(cause, Is.Not.Null, body.ToJsonString());
        Assert.That(cause!["message"]!.ToString(), Does.Contain(message));
    }

    private async Task<JsonObject> TableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string[] Columns(JsonObject table) => [.. table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString())];

    private static string[] Cells(JsonObject table) => [.. table["rows"]!.AsArray().First()!["cells"]!.AsArray().Select(c => c?.ToString() ?? "")];
}
