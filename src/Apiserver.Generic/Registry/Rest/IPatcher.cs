namespace Apiserver.Generic.Registry.Rest;

/// <summary>
/// Serves <c>patch</c>. As in kube-apiserver, a patch is a read, the patch applied to what was read,
/// and a conditional update of the result, retried when the object changed meanwhile; so a
/// storage that can get and update can patch.
/// </summary>
public interface IPatcher : IGetter, IUpdater
{
}
