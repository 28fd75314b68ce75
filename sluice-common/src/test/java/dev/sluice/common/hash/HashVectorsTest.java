package dev.sluice.common.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashVectorsTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void seaHashMatchesReferenceVectors() {
        assertThat(Long.toUnsignedString(SeaHash.hash(utf8("")))).isEqualTo("14492805990617963705");
        assertThat(Long.toUnsignedString(SeaHash.hash(utf8("foobar")))).isEqualTo("5348458858952426560");
        assertThat(SeaHash.hash(utf8("bar"))).isEqualTo(-2796170501982571315L);
        long avroKey = SeaHash.hash(new byte[] {0x02, 0x04, 0x76, 0x31});
        assertThat(Long.toUnsignedString(avroKey)).isEqualTo("2395881358218729975");
        assertThat(Long.remainderUnsigned(avroKey, 100)).isEqualTo(75);
        assertThat(Long.remainderUnsigned(avroKey, 200)).isEqualTo(175);
    }

    @Test
    void seaHashOfASliceEqualsTheHashOfThoseBytesAlone() {
        byte[] framed = {0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x04, 0x76, 0x31};
        assertThat(Long.toUnsignedString(SeaHash.hash(framed, 5, 4))).isEqualTo("2395881358218729975");
        byte[] long17 = utf8("a-little-bit-long");
        byte[] padded = new byte[long17.length + 3];
        System.arraycopy(long17, 0, padded, 2, long17.length);
        assertThat(SeaHash.hash(padded, 2, long17.length)).isEqualTo(SeaHash.hash(long17));
    }

    @Test
    void kafkaMurmur2MatchesReferenceVectors() {
        assertThat(KafkaMurmur2.hash(utf8("21"))).isEqualTo(1173551340);
        assertThat(KafkaMurmur2.hash(utf8("foobar"))).isEqualTo(1357151166);
        assertThat(KafkaMurmur2.hash(utf8("a-little-bit-long-string"))).isEqualTo(1161502112);
        assertThat(KafkaMurmur2.hash(utf8("a-little-bit-longer-string"))).isEqualTo(661178819);
        assertThat(KafkaMurmur2.hash(utf8("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"))).isEqualTo(2088585677);
        assertThat(KafkaMurmur2.hash(utf8("apple")) % 16).isEqualTo(5);
        assertThat(KafkaMurmur2.hash(utf8("banana")) % 16).isEqualTo(13);
        assertThat(KafkaMurmur2.hash(utf8("grape")) % 16).isEqualTo(5);
        assertThat(KafkaMurmur2.hash(utf8("orange")) % 16).isEqualTo(8);
        assertThat(KafkaMurmur2.hash(utf8("zucchini")) % 16).isEqualTo(4);
    }

    @Test
    void crc32MatchesReferenceVectors() {
        assertThat(Crc32.hash(utf8(""))).isZero();
        assertThat(Crc32.hash(utf8("foobar"))).isEqualTo(2666930069L);
    }
}
