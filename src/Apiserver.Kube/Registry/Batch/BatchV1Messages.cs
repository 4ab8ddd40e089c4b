using Apiserver.Generic.Serialization.Protobuf;
using Apiserver.Kube.Registry.Apps;
using Apiserver.Kube.Registry.Rbac;

namespace Apiserver.Kube.Registry.Batch;

/// <summary>
/// The protobuf messages of <c>k8s.io/api/batch/v1</c> (field numbers of its <c>generated.proto</c>),
/// fields in Go struct order, limited to what typed clients send
/// (<c>kubectl create job|cronjob</c>): the spec's scalar fields, selector and pod template. Pod
/// failure and success policies and the status are left to JSON.
/// </summary>
public static class BatchV1Messages
{
    private const string Package = "k8s.io.api.batch.v1.";

    private static ProtoField Metadata => new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta, Presence: ProtoPresence.Always);

    /// <summary><c>JobSpec</c> (without <c>podFailurePolicy</c> and <c>successPolicy</c>).</summary>
    public static ProtoMessage JobSpec { get; } = new(Package + "JobSpec",
        new(1, "parallelism", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(2, "completions", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(3, "activeDeadlineSeconds", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
        new(7, "backoffLimit", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(12, "backoffLimitPerIndex", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(13, "maxFailedIndexes", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(4, "selector", ProtoKind.Message, MessageFactory: () => RbacV1Messages.LabelSelector, Presence: ProtoPresence.Pointer),
        new(5, "manualSelector", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(6, "template", ProtoKind.Message, MessageFactory: () => PodTemplateMessages.PodTemplateSpec, Presence: ProtoPresence.Always),
        new(8, "ttlSecondsAfterFinished", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(9, "completionMode", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(10, "suspend", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(14, "podReplacementPolicy", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(15, "managedBy", ProtoKind.String, Presence: ProtoPresence.Pointer));

    /// <summary><c>JobStatus</c>; its fields are not decoded.</summary>
    public static ProtoMessage JobStatus { get; } = new(Package + "JobStatus");

    /// <summary><c>Job</c>.</summary>
    public static ProtoMessage Job { get; } = new(Package + "Job",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => JobSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => JobStatus));

    /// <summary><c>JobTemplateSpec</c>.</summary>
    public static ProtoMessage JobTemplateSpec { get; } = new(Package + "JobTemplateSpec",
        new(1, "metadata", ProtoKind.Message, MessageFactory: () => MetaV1Messages.ObjectMeta),
        new(2, "spec", ProtoKind.Message, MessageFactory: () => JobSpec));

    /// <summary><c>CronJobSpec</c>.</summary>
    public static ProtoMessage CronJobSpec { get; } = new(Package + "CronJobSpec",
        new(1, "schedule", ProtoKind.String, Presence: ProtoPresence.Always),
        new(8, "timeZone", ProtoKind.String, Presence: ProtoPresence.Pointer),
        new(2, "startingDeadlineSeconds", ProtoKind.Int64, Presence: ProtoPresence.Pointer),
        new(3, "concurrencyPolicy", ProtoKind.String),
        new(4, "suspend", ProtoKind.Bool, Presence: ProtoPresence.Pointer),
        new(5, "jobTemplate", ProtoKind.Message, MessageFactory: () => JobTemplateSpec, Presence: ProtoPresence.Always),
        new(6, "successfulJobsHistoryLimit", ProtoKind.Int32, Presence: ProtoPresence.Pointer),
        new(7, "failedJobsHistoryLimit", ProtoKind.Int32, Presence: ProtoPresence.Pointer));

    /// <summary><c>CronJobStatus</c>; its fields are not decoded.</summary>
    public static ProtoMessage CronJobStatus { get; } = new(Package + "CronJobStatus");

    /// <summary><c>CronJob</c>.</summary>
    public static ProtoMessage CronJob { get; } = new(Package + "CronJob",
        Metadata,
        new(2, "spec", ProtoKind.Message, MessageFactory: () => CronJobSpec),
        new(3, "status", ProtoKind.Message, MessageFactory: () => CronJobStatus));
}
