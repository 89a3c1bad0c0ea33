"""Figures the papers print, to overlay on a sweep of the same family: (label, mult-adds, params)."""

PAPER_POINTS = {
    # MobileNet v1 (Howard et al. 2017), Table 6 (width α at 224) and Table 7 (resolution at α = 1).
    "mobilenet-v1": [
        ("1.0 MobileNet-224", 569e6, 4.2e6), ("0.75 MobileNet-224", 325e6, 2.6e6),
        ("0.5 MobileNet-224", 149e6, 1.3e6), ("0.25 MobileNet-224", 41e6, 0.5e6),
        ("1.0 MobileNet-192", 418e6, 4.2e6), ("1.0 MobileNet-160", 290e6, 4.2e6),
        ("1.0 MobileNet-128", 186e6, 4.2e6),
    ],
    # MobileNetV2 (Sandler et al. 2018), Table 4: 1.0 at 224 and 1.4 at 224.
    "mobilenet-v2": [("MobileNetV2 (1.0)", 300e6, 3.4e6), ("MobileNetV2 (1.4)", 585e6, 6.9e6)],
}
