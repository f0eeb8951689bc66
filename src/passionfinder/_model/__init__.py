"""The model layer: everything that turns texts into vectors, from the weights to the run time.

One file per job:

- ``load.py``: ``load_encoder``, from a ``model=`` argument and a backend to an encoder;
- ``sources.py``: which weights a ``model=`` argument names and where their parts are;
- ``adapter.py``: LoRA adapters (the shipped one, their digest, merging one into the weights);
- ``export.py``: the ONNX export, its int8 quantisation and the cache of exports;
- ``manifest.py``: an export folder's manifest, checksums and file stamps;
- ``encoder.py``: the ``Encoder`` interface every backend implements;
- ``onnx_runtime.py``: the ONNX run time (onnxruntime and tokenizers, no torch);
- ``torch_backend.py``: the torch backend (sentence-transformers);
- ``splitting.py``: splitting a text too long for the model into pieces that fit;
- ``tuning.py``: training a LoRA adapter (public name ``passionfinder.tuning``).

Nothing is imported here, so that importing one part loads only what it needs.
"""
