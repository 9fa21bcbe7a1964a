package ai.intellia.keycloak.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** The ratios as a bar chart (PNG, plain Java2D: no charting dependency), each bar with its target. */
final class Chart {

    record Bar(String label, double value, double target) {
    }

    private Chart() {
    }

    static void write(Path file, String title, List<String> subtitle, List<Bar> bars) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 960;
        int height = 480;
        int left = 70;
        int right = 30;
        int top = 60 + 16 * subtitle.size();
        int bottom = 70;
        double max = 0.5;
        for (Bar b : bars) {
            max = Math.max(max, Math.max(b.value(), b.target()));
        }
        double step = max <= 2.5 ? 0.25 : max <= 5 ? 0.5 : 1.0;
        max = Math.ceil(max * 1.12 / step) * step; // headroom, rounded to a grid step

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i < subtitle.size(); i++) {
            g.drawString(subtitle.get(i), left, 50 + 16 * i);
        }

        int plotH = height - top - bottom;
        int plotW = width - left - right;
        // grid and y axis
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double y = 0; y <= max + 1e-9; y += step) {
            int py = top + plotH - (int) Math.round(y / max * plotH);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, py, left + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = String.format("%.2f", y);
            g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        int oneY = top + plotH - (int) Math.round(1.0 / max * plotH);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(left, oneY, left + plotW, oneY);

        int slot = plotW / bars.size();
        int barW = (int) (slot * 0.55);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int x = left + i * slot + (slot - barW) / 2;
            double v = Double.isNaN(b.value()) ? 0 : b.value();
            int h = (int) Math.round(Math.min(v, max) / max * plotH);
            boolean met = v >= b.target();
            g.setColor(met ? new Color(46, 139, 87) : new Color(205, 92, 62));
            g.fillRect(x, top + plotH - h, barW, h);
            // target marker
            int ty = top + plotH - (int) Math.round(b.target() / max * plotH);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            g.drawLine(x - 8, ty, x + barW + 8, ty);
            g.setStroke(new BasicStroke(1f));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            FontMetrics fm = g.getFontMetrics();
            String value = Double.isNaN(b.value()) ? "n/a" : String.format("%.2f", b.value());
            int labelY = top + plotH - h - 6;
            if (Math.abs(labelY - ty) < 14) {
                labelY = Math.min(labelY, ty) - 8; // keep the number clear of the target line
            }
            g.drawString(value, x + (barW - fm.stringWidth(value)) / 2, labelY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            fm = g.getFontMetrics();
            g.drawString(b.label(), x + (barW - fm.stringWidth(b.label())) / 2, top + plotH + 18);
            String target = "target ≥ " + String.format("%.2f", b.target());
            g.setColor(Color.DARK_GRAY);
            g.drawString(target, x + (barW - fm.stringWidth(target)) / 2, top + plotH + 34);
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("ratio of median req/s (higher is better); dashed line = target; green = met, red = missed",
                left, height - 12);
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
