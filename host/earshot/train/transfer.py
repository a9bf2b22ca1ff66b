"""Transfer learning: keep a trained body, give it a new head for new classes, train the
head alone at a high learning rate, then unfreeze everything and fine-tune at a low one."""
from earshot.models import head
from earshot.models.tf import keras
from earshot.train.fitting import fit


def replace_head(model, classes):
    """A new model sharing `model`'s body (same layer objects) with a fresh head."""
    k = keras()
    body = model.get_layer("head").input
    return k.Model(model.input, head(k, classes)(body), name=model.name)


def _set_body_trainable(model, trainable):
    for layer in model.layers:
        if layer.name != "head":
            layer.trainable = trainable


def transfer(model, x, y, val=None, *, classes=2, head_epochs=5, head_lr=1e-2, fine_epochs=10,
             fine_lr=1e-4, batch_size=32, patience=4, checkpoint=None, resume=False,
             class_weight=None, verbose=True):
    """Returns (new model, {"head": history, "fine_tune": history})."""
    new = replace_head(model, classes)
    _set_body_trainable(new, False)
    histories = {"head": fit(new, x, y, val, epochs=head_epochs, lr=head_lr, batch_size=batch_size,
                             patience=patience, stage="head", checkpoint=checkpoint, resume=resume,
                             class_weight=class_weight, verbose=verbose)}
    _set_body_trainable(new, True)
    # Normalization statistics stay as adapted on the pre-training set.
    for layer in new.layers:
        if type(layer).__name__ == "Normalization":
            layer.trainable = False
    histories["fine_tune"] = fit(new, x, y, val, epochs=fine_epochs, lr=fine_lr, batch_size=batch_size,
                                 patience=patience, stage="fine_tune", checkpoint=checkpoint,
                                 resume=resume, class_weight=class_weight, verbose=verbose)
    return new, histories
