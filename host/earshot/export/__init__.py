"""Writing a trained model out: model.tflite with embedded settings, model.json, model_data.h."""
