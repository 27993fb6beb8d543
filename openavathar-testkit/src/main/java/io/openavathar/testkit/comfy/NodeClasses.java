package io.openavathar.testkit.comfy;

import java.util.Set;

/** Node class names the simulator knows about. */
final class NodeClasses {

    /** The InfiniteTalk workflow's classes (reference §4.1) plus core SaveImage and PreviewImage. */
    static final Set<String> DEFAULT_INSTALLED = Set.of(
            "LoadImage", "LoadAudio", "CLIPVisionLoader", "PreviewAny",
            "MultiTalkModelLoader", "WanVideoModelLoader", "WanVideoBlockSwap", "WanVideoLoraSelect",
            "WanVideoVAELoader", "WanVideoTextEncodeCached", "WanVideoClipVisionEncode",
            "DownloadAndLoadWav2VecModel", "Wav2VecModelLoader", "MultiTalkWav2VecEmbeds",
            "WanVideoImageToVideoMultiTalk", "WanVideoSampler", "WanVideoPassImagesFromSamples",
            "INTConstant", "ImageResizeKJv2", "GetImageSizeAndCount",
            "MelBandRoFormerModelLoader", "MelBandRoFormerSampler",
            "VHS_VideoCombine", "SaveImage", "PreviewImage");

    /** Classes with {@code OUTPUT_NODE = True}. */
    static final Set<String> OUTPUTS = Set.of("VHS_VideoCombine", "PreviewAny", "SaveImage", "PreviewImage");

    static final String LOAD_IMAGE = "LoadImage";
    static final String LOAD_AUDIO = "LoadAudio";
    static final String EMBEDS = "MultiTalkWav2VecEmbeds";
    static final String IMAGE_TO_VIDEO = "WanVideoImageToVideoMultiTalk";
    static final String SAMPLER = "WanVideoSampler";
    static final String RESIZE = "ImageResizeKJv2";
    static final String SIZE_AND_COUNT = "GetImageSizeAndCount";
    static final String PREVIEW_ANY = "PreviewAny";
    static final String VIDEO_COMBINE = "VHS_VideoCombine";
    static final String SAVE_IMAGE = "SaveImage";
    static final String PREVIEW_IMAGE = "PreviewImage";

    private NodeClasses() {
    }
}
