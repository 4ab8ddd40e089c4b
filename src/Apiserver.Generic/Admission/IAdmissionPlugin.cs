namespace Apiserver.Generic.Admission;

/// <summary>An admission plugin. Implement <see cref="IMutatingAdmission"/>, <see cref="IValidatingAdmission"/> or both.</summary>
public interface IAdmissionPlugin
{
    /// <summary>The plugin's name, as <c>--enable-admission-plugins</c> spells it.</summary>
    string Name { get; }

    /// <summary>Whether the plugin cares about this request at all.</summary>
    bool Handles(AdmissionOperation operation) => true;
}

/// <summary>A plugin that may change the object before it is validated and stored.</summary>
public interface IMutatingAdmission : IAdmissionPlugin
{
    /// <summary>Changes <see cref="AdmissionAttributes.Object"/> in place, or rejects with a <c>StatusException</c>.</summary>
    ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken);
}

/// <summary>A plugin that accepts or rejects the final object.</summary>
public interface IValidatingAdmission : IAdmissionPlugin
{
    /// <summary>Rejects with a <c>StatusException</c>, or returns to accept.</summary>
    ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken);
}
