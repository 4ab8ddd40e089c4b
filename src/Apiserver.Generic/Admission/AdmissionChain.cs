namespace Apiserver.Generic.Admission;

/// <summary>The enabled plugins, in order: every mutating plugin runs before any validating one.</summary>
public sealed class AdmissionChain(IReadOnlyList<IAdmissionPlugin> plugins)
{
    /// <summary>The plugins, in the order they run.</summary>
    public IReadOnlyList<IAdmissionPlugin> Plugins { get; } = plugins;

    /// <summary>Runs the mutating plugins that handle the operation.</summary>
    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        foreach (var plugin in Plugins)
        {
            if (plugin is IMutatingAdmission m && plugin.Handles(attributes.Operation))
            {
                await m.AdmitAsync(attributes, cancellationToken);
            }
        }
    }

    /// <summary>Runs the validating plugins that handle the operation.</summary>
    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        foreach (var plugin in Plugins)
        {
            if (plugin is IValidatingAdmission v && plugin.Handles(attributes.Operation))
            {
                await v.ValidateAsync(attributes, cancellationToken);
            }
        }
    }
}
