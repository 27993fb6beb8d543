package io.openavathar.studio;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Test inputs: a portrait PNG and a silent speech WAV of a given length. */
final class Media {
  private Media() {}

  static Path portrait(Path dir) throws Exception {
    Path image = dir.resolve("face.png");
    BufferedImage img = new BufferedImage(512, 768, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(0x3b5bdb));
    g.fillRect(0, 0, 512, 768);
    g.setColor(Color.WHITE);
    g.fillOval(128, 160, 256, 320);
    g.dispose();
    ImageIO.write(img, "png", image.toFile());
    return image;
  }

  static Path speech(Path dir, int seconds) throws Exception {
    Path audio = dir.resolve("speech-" + seconds + "s.wav");
    byte[] pcm = new byte[16_000 * 2 * seconds];
    AudioFormat f = new AudioFormat(16_000, 16, 1, true, false);
    AudioSystem.write(
        new AudioInputStream(new ByteArrayInputStream(pcm), f, pcm.length / 2),
        AudioFileFormat.Type.WAVE,
        audio.toFile());
    return audio;
  }
}
