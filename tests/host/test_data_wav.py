"""read_wav: every common WAV flavour in, 16 kHz mono int16 out; bad files refused by name."""
import numpy as np
import pytest
import soundfile

from earshot.data import SAMPLE_RATE, read_wav, write_wav
from earshot.errors import DataError


def tone(freq, seconds, rate, amplitude=0.5):
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * freq * t)


def peak_hz(audio, rate=SAMPLE_RATE):
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return np.argmax(spectrum) * rate / len(audio)


def rms(audio):
    return np.sqrt(np.mean(np.square(np.asarray(audio, dtype=float))))


def test_16_bit_mono_at_16_khz_reads_exactly(tmp_path):
    samples = np.random.default_rng(0).integers(-32768, 32768, 4000).astype(np.int16)
    soundfile.write(tmp_path / "a.wav", samples, SAMPLE_RATE, subtype="PCM_16")
    out = read_wav(tmp_path / "a.wav")
    assert out.dtype == np.int16
    np.testing.assert_array_equal(out, samples)


@pytest.mark.parametrize("subtype, tolerance", [("PCM_U8", 260), ("PCM_24", 1), ("PCM_32", 1),
                                                 ("FLOAT", 1), ("DOUBLE", 1)])
def test_sample_formats_read_as_scaled_int16(tmp_path, subtype, tolerance):
    signal = tone(440, 0.25, SAMPLE_RATE, 0.7)
    soundfile.write(tmp_path / "a.wav", signal, SAMPLE_RATE, subtype=subtype)
    out = read_wav(tmp_path / "a.wav")
    expected = np.round(signal * 32768)
    assert np.max(np.abs(out - expected)) <= tolerance


def test_float_beyond_full_scale_saturates(tmp_path):
    soundfile.write(tmp_path / "a.wav", np.array([1.5, -1.5, 0.25]), SAMPLE_RATE, subtype="FLOAT")
    np.testing.assert_array_equal(read_wav(tmp_path / "a.wav"), [32767, -32768, 8192])


def test_stereo_is_averaged_to_mono(tmp_path):
    left = tone(300, 0.1, SAMPLE_RATE, 0.5)
    soundfile.write(tmp_path / "a.wav", np.stack([left, -left / 2], axis=1), SAMPLE_RATE, subtype="FLOAT")
    out = read_wav(tmp_path / "a.wav")
    assert np.max(np.abs(out - np.round(left / 4 * 32768))) <= 1


@pytest.mark.parametrize("rate", [44100, 48000, 8000])
def test_other_rates_are_resampled_keeping_pitch_and_level(tmp_path, rate):
    soundfile.write(tmp_path / "a.wav", tone(1000, 1.0, rate), rate, subtype="PCM_16")
    out = read_wav(tmp_path / "a.wav")
    assert len(out) == SAMPLE_RATE
    assert peak_hz(out) == pytest.approx(1000, abs=2)
    assert rms(out[800:-800]) == pytest.approx(0.5 / np.sqrt(2) * 32768, rel=0.02)


def test_resampler_filters_instead_of_aliasing(tmp_path):
    # 11 kHz at 48 kHz: dropping samples would fold it to 5 kHz at full level
    soundfile.write(tmp_path / "a.wav", tone(11000, 1.0, 48000), 48000, subtype="PCM_16")
    out = read_wav(tmp_path / "a.wav")
    assert rms(out[800:-800]) < 0.01 * 0.5 * 32768


def test_write_then_read_round_trips(tmp_path):
    samples = np.arange(-500, 500, dtype=np.int16)
    write_wav(tmp_path / "a.wav", samples)
    np.testing.assert_array_equal(read_wav(tmp_path / "a.wav"), samples)


def test_truncated_data_chunk_gives_the_samples_present(tmp_path):
    samples = np.arange(8000, dtype=np.int16)
    soundfile.write(tmp_path / "a.wav", samples, SAMPLE_RATE, subtype="PCM_16")
    whole = (tmp_path / "a.wav").read_bytes()
    (tmp_path / "cut.wav").write_bytes(whole[:44 + 2 * 3000])
    out = read_wav(tmp_path / "cut.wav")
    np.testing.assert_array_equal(out, samples[:len(out)])
    assert 2900 <= len(out) <= 3000


def test_empty_wav_is_refused_by_name(tmp_path):
    soundfile.write(tmp_path / "empty.wav", np.zeros(0, np.int16), SAMPLE_RATE, subtype="PCM_16")
    with pytest.raises(DataError, match="empty.wav.*no audio samples"):
        read_wav(tmp_path / "empty.wav")


def test_header_cut_short_is_refused_by_name(tmp_path):
    soundfile.write(tmp_path / "a.wav", np.zeros(100, np.int16), SAMPLE_RATE, subtype="PCM_16")
    (tmp_path / "stub.wav").write_bytes((tmp_path / "a.wav").read_bytes()[:30])
    with pytest.raises(DataError, match="stub.wav.*cannot read"):
        read_wav(tmp_path / "stub.wav")


def test_text_file_is_refused_by_name(tmp_path):
    (tmp_path / "notes.wav").write_text("this is not audio\n" * 20)
    with pytest.raises(DataError, match="notes.wav.*cannot read"):
        read_wav(tmp_path / "notes.wav")


def test_zero_byte_file_is_refused(tmp_path):
    (tmp_path / "zero.wav").write_bytes(b"")
    with pytest.raises(DataError, match="zero.wav"):
        read_wav(tmp_path / "zero.wav")


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(DataError, match="nothere.wav.*no such file"):
        read_wav(tmp_path / "nothere.wav")


def test_nan_samples_are_refused(tmp_path):
    soundfile.write(tmp_path / "nan.wav", np.array([0.1, np.nan, 0.2]), SAMPLE_RATE, subtype="FLOAT")
    with pytest.raises(DataError, match="nan.wav.*NaN"):
        read_wav(tmp_path / "nan.wav")


def test_writing_non_int16_is_refused(tmp_path):
    with pytest.raises(DataError, match="expected int16"):
        write_wav(tmp_path / "a.wav", np.zeros(10))


def test_real_alarm_recording_reads_at_16_khz(shared_data):
    path = shared_data / "fire_alarm" / "smoke_alarm_bsb0800.wav"
    out = read_wav(path)
    assert len(out) == round(soundfile.info(str(path)).frames / 3)
    assert 2900 <= peak_hz(out) <= 3500


def test_other_target_rates(tmp_path):
    soundfile.write(tmp_path / "a.wav", tone(500, 1.0, 48000), 48000, subtype="PCM_16")
    out = read_wav(tmp_path / "a.wav", rate=8000)
    assert len(out) == 8000 and peak_hz(out, 8000) == pytest.approx(500, abs=2)
