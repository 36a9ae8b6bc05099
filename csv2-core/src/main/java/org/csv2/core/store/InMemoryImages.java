/*
 * Copyright The csv2 Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.csv2.core.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.csv2.api.StateStoreException;
import org.csv2.api.ops.CloudImage;
import org.csv2.api.ops.ImageAction;
import org.csv2.api.ops.ImageTransfer;
import org.csv2.api.ops.StoredKeyPair;
import org.csv2.model.CloudName;
import org.csv2.model.Image;

/**
 * The image records of the {@link InMemoryStateStore}: transfers, kept public keys, what each
 * cloud lists and image actions.
 *
 * <p>Thread safety: safe; one private lock.
 */
final class InMemoryImages {
  private final Object lock = new Object();
  private final TreeMap<Long, ImageTransfer> transfers = new TreeMap<>();
  private final TreeMap<String, StoredKeyPair> keys = new TreeMap<>();
  private final TreeMap<String, Map<String, CloudImage>> cloudImages = new TreeMap<>();
  private final TreeMap<Long, ImageAction> actions = new TreeMap<>();
  private long nextId = 1;
  private long nextActionId = 1;

  ImageTransfer save(ImageTransfer t) {
    synchronized (lock) {
      if (t.id() == 0) {
        if (t.version() != 0) {
          throw new IllegalArgumentException("a new transfer has version 0, was " + t.version());
        }
        ImageTransfer stored = t.stored(nextId++, 1);
        transfers.put(stored.id(), stored);
        return stored;
      }
      ImageTransfer current = transfers.get(t.id());
      if (current == null || current.version() != t.version()) {
        throw new StateStoreException(
            StateStoreException.Reason.CONFLICT,
            "transfer " + t.id() + ": version " + t.version() + " was read but "
                + (current == null ? "it is not stored" : "version " + current.version() + " is stored")
                + "; read it again");
      }
      ImageTransfer stored = t.stored(t.id(), t.version() + 1);
      transfers.put(stored.id(), stored);
      return stored;
    }
  }

  Optional<ImageTransfer> get(long id) {
    synchronized (lock) {
      return Optional.ofNullable(transfers.get(id));
    }
  }

  List<ImageTransfer> list(boolean activeOnly, int limit) {
    synchronized (lock) {
      List<ImageTransfer> out = new ArrayList<>();
      for (ImageTransfer t : transfers.descendingMap().values()) {
        if (out.size() >= limit) {
          break;
        }
        if (!activeOnly || t.state().active()) {
          out.add(t);
        }
      }
      return out;
    }
  }

  void saveKey(StoredKeyPair k) {
    synchronized (lock) {
      keys.put(k.name(), k);
    }
  }

  List<StoredKeyPair> keys() {
    synchronized (lock) {
      return List.copyOf(keys.values());
    }
  }

  boolean deleteKey(String name) {
    synchronized (lock) {
      return keys.remove(name) != null;
    }
  }

  void saveCloud(CloudName cloud, List<Image> images, Instant readAt) {
    synchronized (lock) {
      Map<String, CloudImage> before = cloudImages.getOrDefault(cloud.value(), Map.of());
      Map<String, CloudImage> now = new HashMap<>();
      for (Image i : images) {
        CloudImage known = before.get(i.id());
        now.put(i.id(), new CloudImage(cloud, i.id(), i.name(), known == null ? null : known.sha256(),
            known == null ? -1 : known.size(), readAt));
      }
      cloudImages.put(cloud.value(), now);
    }
  }

  void saveCloudImage(CloudImage image) {
    synchronized (lock) {
      cloudImages.computeIfAbsent(image.cloud().value(), k -> new HashMap<>()).put(image.id(), image);
    }
  }

  boolean deleteCloudImage(CloudName cloud, String id) {
    synchronized (lock) {
      Map<String, CloudImage> m = cloudImages.get(cloud.value());
      return m != null && m.remove(id) != null;
    }
  }

  List<CloudImage> cloudImages() {
    synchronized (lock) {
      List<CloudImage> out = new ArrayList<>();
      cloudImages.values().forEach(m -> out.addAll(m.values()));
      out.sort(Comparator.comparing((CloudImage c) -> c.cloud().value()).thenComparing(CloudImage::name).thenComparing(CloudImage::id));
      return out;
    }
  }

  ImageAction saveAction(ImageAction a) {
    synchronized (lock) {
      if (a.id() == 0) {
        if (a.version() != 0) {
          throw new IllegalArgumentException("a new image action has version 0, was " + a.version());
        }
        ImageAction stored = a.stored(nextActionId++, 1);
        actions.put(stored.id(), stored);
        return stored;
      }
      ImageAction current = actions.get(a.id());
      if (current == null || current.version() != a.version()) {
        throw new StateStoreException(
            StateStoreException.Reason.CONFLICT,
            "image action " + a.id() + ": version " + a.version() + " was read but "
                + (current == null ? "it is not stored" : "version " + current.version() + " is stored")
                + "; read it again");
      }
      ImageAction stored = a.stored(a.id(), a.version() + 1);
      actions.put(stored.id(), stored);
      return stored;
    }
  }

  List<ImageAction> actions(boolean activeOnly, int limit) {
    synchronized (lock) {
      List<ImageAction> out = new ArrayList<>();
      for (ImageAction a : actions.descendingMap().values()) {
        if (out.size() >= limit) {
          break;
        }
        if (!activeOnly || a.state().active()) {
          out.add(a);
        }
      }
      return out;
    }
  }
}
