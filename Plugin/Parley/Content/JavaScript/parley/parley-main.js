// Parley for Unreal Engine: built by `npm run build:plugin`. Do not edit.
"use strict";
var __defProp = Object.defineProperty;
var __defNormalProp = (obj2, key, value) => key in obj2 ? __defProp(obj2, key, { enumerable: true, configurable: true, writable: true, value }) : obj2[key] = value;
var __publicField = (obj2, key, value) => __defNormalProp(obj2, typeof key !== "symbol" ? key + "" : key, value);

// Plugin/Parley/TypeScript/core/errors.ts
var localError = (code, message, fatal = false) => ({ code, message, fatal, local: true });

// node_modules/msgpackr/unpack.js
var decoder;
try {
  decoder = new TextDecoder();
} catch (error) {
}
var src;
var srcEnd;
var position = 0;
var EMPTY_ARRAY = [];
var strings = EMPTY_ARRAY;
var stringPosition = 0;
var currentUnpackr = {};
var currentStructures;
var srcString;
var srcStringStart = 0;
var srcStringEnd = 0;
var bundledStrings;
var referenceMap;
var currentExtensions = [];
var dataView;
var arrayAllocationBudget;
var fragmentEnd = 0;
var defaultOptions = {
  useRecords: false,
  mapsAsObjects: true
};
var C1Type = class {
};
var C1 = new C1Type();
C1.name = "MessagePack 0xC1";
var sequentialMode = false;
var inlineObjectReadThreshold = 2;
var Unpackr = class _Unpackr {
  constructor(options) {
    if (options) {
      if (options.useRecords === false && options.mapsAsObjects === void 0)
        options.mapsAsObjects = true;
      if (options.sequential && options.trusted !== false) {
        options.trusted = true;
        if (!options.structures && options.useRecords != false) {
          options.structures = [];
          if (!options.maxSharedStructures)
            options.maxSharedStructures = 0;
        }
      }
      if (options.structures)
        options.structures.sharedLength = options.structures.length;
      else if (options.getStructures) {
        (options.structures = []).uninitialized = true;
        options.structures.sharedLength = 0;
      }
      if (options.int64AsNumber) {
        options.int64AsType = "number";
      }
    }
    Object.assign(this, options);
  }
  unpack(source, options) {
    if (src) {
      return saveState(() => {
        clearSource();
        try {
          return this ? this.unpack(source, options) : _Unpackr.prototype.unpack.call(defaultOptions, source, options);
        } catch (error) {
          if (error && typeof error == "object")
            nestedUnpackErrors.add(error);
          throw error;
        }
      });
    }
    if (!source.buffer && source.constructor === ArrayBuffer)
      source = typeof Buffer !== "undefined" ? Buffer.from(source) : new Uint8Array(source);
    if (typeof options === "object") {
      srcEnd = options.end || source.length;
      position = options.start || 0;
    } else {
      position = 0;
      srcEnd = options > -1 ? options : source.length;
    }
    if (srcEnd > source.length) srcEnd = source.length;
    stringPosition = 0;
    srcStringEnd = 0;
    srcString = null;
    strings = EMPTY_ARRAY;
    bundledStrings = null;
    src = source;
    try {
      dataView = source.dataView || (source.dataView = new DataView(source.buffer, source.byteOffset, source.byteLength));
    } catch (error) {
      src = null;
      if (source instanceof Uint8Array)
        throw error;
      throw new Error("Source must be a Uint8Array or Buffer but was a " + (source && typeof source == "object" ? source.constructor.name : typeof source));
    }
    if (this instanceof _Unpackr) {
      currentUnpackr = this;
      if (this.structures) {
        currentStructures = this.structures;
        return checkedRead(options);
      } else if (!currentStructures || currentStructures.length > 0) {
        currentStructures = [];
      }
    } else {
      currentUnpackr = defaultOptions;
      if (!currentStructures || currentStructures.length > 0)
        currentStructures = [];
    }
    return checkedRead(options);
  }
  unpackMultiple(source, forEach) {
    if (src) {
      return saveState(() => {
        clearSource();
        try {
          return this ? this.unpackMultiple(source, forEach) : defaultUnpackr.unpackMultiple(source, forEach);
        } catch (error) {
          if (error && typeof error == "object")
            nestedUnpackErrors.add(error);
          throw error;
        }
      });
    }
    let values, lastPosition = 0;
    try {
      sequentialMode = true;
      let size = source.length;
      let value = this ? this.unpack(source, size) : defaultUnpackr.unpack(source, size);
      if (forEach) {
        let end = position;
        if (forEach(value, lastPosition, end) === false) return;
        while (end < size) {
          lastPosition = end;
          value = checkedRead();
          end = position;
          if (forEach(value, lastPosition, end) === false) {
            return;
          }
        }
      } else {
        values = [value];
        while (position < size) {
          lastPosition = position;
          values.push(checkedRead());
        }
        return values;
      }
    } catch (error) {
      if (error && typeof error == "object") {
        error.lastPosition = lastPosition;
        error.values = values;
      }
      throw error;
    } finally {
      sequentialMode = false;
      clearSource();
    }
  }
  _mergeStructures(loadedStructures, existingStructures) {
    if (this._onLoadedStructures)
      loadedStructures = this._onLoadedStructures(loadedStructures);
    loadedStructures = loadedStructures || [];
    if (Object.isFrozen(loadedStructures))
      loadedStructures = loadedStructures.map((structure) => structure.slice(0));
    for (let i = 0, l = loadedStructures.length; i < l; i++) {
      let structure = loadedStructures[i];
      if (structure) {
        structure.isShared = true;
        if (i >= 32)
          structure.highByte = i - 32 >> 5;
      }
    }
    loadedStructures.sharedLength = loadedStructures.length;
    for (let id in existingStructures || []) {
      if (id >= 0) {
        let structure = loadedStructures[id];
        let existing = existingStructures[id];
        if (existing) {
          if (structure)
            (loadedStructures.restoreStructures || (loadedStructures.restoreStructures = []))[id] = structure;
          loadedStructures[id] = existing;
        }
      }
    }
    return this.structures = loadedStructures;
  }
  decode(source, options) {
    return this.unpack(source, options);
  }
};
var nestedUnpackErrors = /* @__PURE__ */ new WeakSet();
function checkedRead(options) {
  try {
    if (!currentUnpackr.trusted && !sequentialMode) {
      let sharedLength = currentStructures.sharedLength || 0;
      if (sharedLength < currentStructures.length)
        currentStructures.length = sharedLength;
    }
    let result;
    arrayAllocationBudget = srcEnd - position;
    if (currentUnpackr._readStruct && src[position] < 64 && src[position] >= 32) {
      result = currentUnpackr._readStruct(src, position, srcEnd);
      src = null;
      if (!(options && options.lazy) && result)
        result = result.toJSON();
      position = srcEnd;
    } else
      result = read();
    if (bundledStrings) {
      position = bundledStrings.postBundlePosition;
      bundledStrings = null;
    }
    if (sequentialMode && position <= srcEnd)
      currentStructures.restoreStructures = null;
    if (position == srcEnd) {
      if (currentStructures && currentStructures.restoreStructures)
        restoreStructures();
      currentStructures = null;
      src = null;
      if (referenceMap)
        referenceMap = null;
    } else if (position > srcEnd) {
      throw new Error("Unexpected end of MessagePack data");
    } else if (!sequentialMode) {
      let jsonView;
      try {
        jsonView = JSON.stringify(result, (_, value) => typeof value === "bigint" ? `${value}n` : value).slice(0, 100);
      } catch (error) {
        jsonView = "(JSON view not available " + error + ")";
      }
      throw new Error("Data read, but end of buffer not reached " + jsonView);
    }
    return result;
  } catch (error) {
    if (currentStructures && currentStructures.restoreStructures)
      restoreStructures();
    clearSource();
    classifyIncomplete(error);
    throw error;
  }
}
function classifyIncomplete(error) {
  if (!error || typeof error != "object")
    return;
  if (position > srcEnd) {
    error.incomplete = true;
  } else if (nestedUnpackErrors.has(error)) {
    if (error.incomplete)
      error.incomplete = false;
  } else if (error instanceof RangeError && position + 8 > srcEnd || typeof error.message == "string" && error.message.startsWith("Unexpected end of buffer")) {
    error.incomplete = true;
  }
}
function restoreStructures() {
  for (let id in currentStructures.restoreStructures) {
    currentStructures[id] = currentStructures.restoreStructures[id];
  }
  currentStructures.restoreStructures = null;
}
function read() {
  let token = src[position++];
  if (token < 160) {
    if (token < 128) {
      if (token < 64)
        return token;
      else {
        let structure = currentStructures[token & 63] || currentUnpackr.getStructures && loadStructures()[token & 63];
        if (structure) {
          if (!structure.read) {
            structure.read = createStructureReader(structure, token & 63);
          }
          return structure.read();
        } else
          return token;
      }
    } else if (token < 144) {
      token -= 128;
      if (currentUnpackr.mapsAsObjects) {
        let object = {};
        for (let i = 0; i < token; i++) {
          let key = readKey();
          if (key === "__proto__")
            key = "__proto_";
          object[key] = read();
        }
        return object;
      } else {
        let map = /* @__PURE__ */ new Map();
        for (let i = 0; i < token; i++) {
          map.set(read(), read());
        }
        return map;
      }
    } else {
      token -= 144;
      let array = new Array(token);
      for (let i = 0; i < token; i++) {
        array[i] = read();
      }
      if (currentUnpackr.freezeData)
        return Object.freeze(array);
      return array;
    }
  } else if (token < 192) {
    let length = token - 160;
    if (srcStringEnd >= position) {
      return srcString.slice(position - srcStringStart, (position += length) - srcStringStart);
    }
    if (srcStringEnd == 0 && srcEnd < 140) {
      let string = length < 16 ? shortStringInJS(length) : longStringInJS(length);
      if (string != null)
        return string;
    }
    return readFixedString(length);
  } else {
    let value;
    switch (token) {
      case 192:
        return null;
      case 193:
        if (bundledStrings) {
          value = read();
          if (value > 0)
            return bundledStrings[1].slice(bundledStrings.position1, bundledStrings.position1 += value);
          else
            return bundledStrings[0].slice(bundledStrings.position0, bundledStrings.position0 -= value);
        }
        return C1;
      // "never-used", return special object to denote that
      case 194:
        return false;
      case 195:
        return true;
      case 196:
        value = src[position++];
        if (value === void 0)
          throw new Error("Unexpected end of buffer");
        return readBin(value);
      case 197:
        value = dataView.getUint16(position);
        position += 2;
        if (value > srcEnd - position) throw endOfMessagePackError(position + value);
        return readBin(value);
      case 198:
        value = dataView.getUint32(position);
        position += 4;
        if (value > srcEnd - position) throw endOfMessagePackError(position + value);
        return readBin(value);
      case 199:
        return readExt(src[position++]);
      case 200:
        value = dataView.getUint16(position);
        position += 2;
        return readExt(value);
      case 201:
        value = dataView.getUint32(position);
        position += 4;
        return readExt(value);
      case 202:
        value = dataView.getFloat32(position);
        if (currentUnpackr.useFloat32 > 2) {
          let multiplier = mult10[(src[position] & 127) << 1 | src[position + 1] >> 7];
          position += 4;
          return (multiplier * value + (value > 0 ? 0.5 : -0.5) >> 0) / multiplier;
        }
        position += 4;
        return value;
      case 203:
        value = dataView.getFloat64(position);
        position += 8;
        return value;
      // uint handlers
      case 204:
        return src[position++];
      case 205:
        value = dataView.getUint16(position);
        position += 2;
        return value;
      case 206:
        value = dataView.getUint32(position);
        position += 4;
        return value;
      case 207:
        if (currentUnpackr.int64AsType === "number") {
          value = dataView.getUint32(position) * 4294967296;
          value += dataView.getUint32(position + 4);
        } else if (currentUnpackr.int64AsType === "string") {
          value = dataView.getBigUint64(position).toString();
        } else if (currentUnpackr.int64AsType === "auto") {
          value = dataView.getBigUint64(position);
          if (value <= BigInt(2) << BigInt(52)) value = Number(value);
        } else
          value = dataView.getBigUint64(position);
        position += 8;
        return value;
      // int handlers
      case 208:
        return dataView.getInt8(position++);
      case 209:
        value = dataView.getInt16(position);
        position += 2;
        return value;
      case 210:
        value = dataView.getInt32(position);
        position += 4;
        return value;
      case 211:
        if (currentUnpackr.int64AsType === "number") {
          value = dataView.getInt32(position) * 4294967296;
          value += dataView.getUint32(position + 4);
        } else if (currentUnpackr.int64AsType === "string") {
          value = dataView.getBigInt64(position).toString();
        } else if (currentUnpackr.int64AsType === "auto") {
          value = dataView.getBigInt64(position);
          if (value >= BigInt(-2) << BigInt(52) && value <= BigInt(2) << BigInt(52)) value = Number(value);
        } else
          value = dataView.getBigInt64(position);
        position += 8;
        return value;
      case 212:
        value = src[position++];
        if (value == 114) {
          return recordDefinition(src[position++] & 63);
        } else {
          let extension = currentExtensions[value];
          if (extension) {
            if (extension.read) {
              position++;
              return extension.read(read());
            } else if (extension.noBuffer) {
              position++;
              return extension();
            } else {
              if (position >= srcEnd) throw endOfMessagePackError();
              return extension(src.subarray(position, ++position));
            }
          } else
            throw new Error("Unknown extension " + value);
        }
      case 213:
        value = src[position];
        if (value == 114) {
          position++;
          return recordDefinition(src[position++] & 63, src[position++]);
        } else
          return readExt(2);
      case 214:
        return readExt(4);
      case 215:
        return readExt(8);
      case 216:
        return readExt(16);
      case 217:
        value = src[position++];
        if (srcStringEnd >= position) {
          return srcString.slice(position - srcStringStart, (position += value) - srcStringStart);
        }
        return readString8(value);
      case 218:
        value = dataView.getUint16(position);
        position += 2;
        if (value > srcEnd - position) throw endOfMessagePackError(position + value);
        if (srcStringEnd >= position) {
          return srcString.slice(position - srcStringStart, (position += value) - srcStringStart);
        }
        return readString16(value);
      case 219:
        value = dataView.getUint32(position);
        position += 4;
        if (value > srcEnd - position) throw endOfMessagePackError(position + value);
        if (srcStringEnd >= position) {
          return srcString.slice(position - srcStringStart, (position += value) - srcStringStart);
        }
        return readString32(value);
      case 220:
        value = dataView.getUint16(position);
        position += 2;
        return readArray(value);
      case 221:
        value = dataView.getUint32(position);
        position += 4;
        return readArray(value);
      case 222:
        value = dataView.getUint16(position);
        position += 2;
        return readMap(value);
      case 223:
        value = dataView.getUint32(position);
        position += 4;
        return readMap(value);
      default:
        if (token >= 224)
          return token - 256;
        if (token === void 0) throw endOfMessagePackError();
        throw new Error("Unknown MessagePack token " + token);
    }
  }
}
var validName = /^[a-zA-Z_$][a-zA-Z\d_$]*$/;
function createStructureReader(structure, firstId) {
  function readObject() {
    if (readObject.count++ > inlineObjectReadThreshold) {
      let optimizedReadObject;
      try {
        optimizedReadObject = structure.read = new Function("r", "return function(){return " + (currentUnpackr.freezeData ? "Object.freeze" : "") + "({" + structure.map((key) => key === "__proto__" ? "__proto_:r()" : validName.test(key) ? key + ":r()" : "[" + JSON.stringify(key) + "]:r()").join(",") + "})}")(read);
      } catch (error) {
        inlineObjectReadThreshold = Infinity;
        return readObject();
      }
      structure.read0 = optimizedReadObject;
      if (structure.highByte === 0)
        structure.read = createSecondByteReader(firstId, structure.read);
      return optimizedReadObject();
    }
    let object = {};
    for (let i = 0, l = structure.length; i < l; i++) {
      let key = structure[i];
      if (key === "__proto__")
        key = "__proto_";
      object[key] = read();
    }
    if (currentUnpackr.freezeData)
      return Object.freeze(object);
    return object;
  }
  readObject.count = 0;
  structure.read0 = readObject;
  if (structure.highByte === 0) {
    return createSecondByteReader(firstId, readObject);
  }
  return readObject;
}
var createSecondByteReader = (firstId, read0) => {
  return function() {
    let highByte = src[position++];
    if (highByte === 0)
      return read0();
    let id = firstId < 32 ? -(firstId + (highByte << 5)) : firstId + (highByte << 5);
    let structure = currentStructures[id] || loadStructures()[id];
    if (!structure) {
      throw new Error("Record id is not defined for " + id);
    }
    if (!structure.read)
      structure.read = createStructureReader(structure, firstId);
    return structure.read();
  };
};
function loadStructures() {
  let loadedStructures = saveState(() => {
    src = null;
    return currentUnpackr.getStructures();
  });
  return currentStructures = currentUnpackr._mergeStructures(loadedStructures, currentStructures);
}
var readFixedString = readStringJS;
var readString8 = readStringJS;
var readString16 = readStringJS;
var readString32 = readStringJS;
function readStringJS(length) {
  let result;
  if (length < 16) {
    if (result = shortStringInJS(length))
      return result;
  }
  if (length > 64 && decoder)
    return decoder.decode(src.subarray(position, position += length));
  const end = position + length;
  const units = [];
  result = "";
  while (position < end) {
    const byte1 = src[position++];
    if ((byte1 & 128) === 0) {
      units.push(byte1);
    } else if ((byte1 & 224) === 192) {
      if (byte1 < 194 || position >= end || (src[position] & 192) !== 128) {
        units.push(65533);
      } else {
        const byte2 = src[position++] & 63;
        units.push((byte1 & 31) << 6 | byte2);
      }
    } else if ((byte1 & 240) === 224) {
      const byte2 = position < end ? src[position] : 0;
      if (position >= end || (byte2 & 192) !== 128 || byte1 === 224 && byte2 < 160 || byte1 === 237 && byte2 >= 160) {
        units.push(65533);
      } else {
        position++;
        if (position >= end || (src[position] & 192) !== 128) {
          units.push(65533);
        } else {
          const byte3 = src[position++] & 63;
          units.push((byte1 & 31) << 12 | (byte2 & 63) << 6 | byte3);
        }
      }
    } else if ((byte1 & 248) === 240) {
      const byte2 = position < end ? src[position] : 0;
      if (byte1 > 244 || position >= end || (byte2 & 192) !== 128 || byte1 === 240 && byte2 < 144 || byte1 === 244 && byte2 >= 144) {
        units.push(65533);
      } else {
        position++;
        if (position >= end || (src[position] & 192) !== 128) {
          units.push(65533);
        } else {
          const byte3 = src[position++] & 63;
          if (position >= end || (src[position] & 192) !== 128) {
            units.push(65533);
          } else {
            const byte4 = src[position++] & 63;
            let unit = (byte1 & 7) << 18 | (byte2 & 63) << 12 | byte3 << 6 | byte4;
            unit -= 65536;
            units.push(unit >>> 10 & 1023 | 55296);
            units.push(56320 | unit & 1023);
          }
        }
      }
    } else {
      units.push(65533);
    }
    if (units.length >= 4096) {
      result += fromCharCode.apply(String, units);
      units.length = 0;
    }
  }
  if (units.length > 0) {
    result += fromCharCode.apply(String, units);
  }
  return result;
}
function endOfMessagePackError(end) {
  let error = new Error("Unexpected end of MessagePack data");
  error.incomplete = true;
  if (end > srcEnd && position <= srcEnd)
    error.missingBytes = end - srcEnd;
  return error;
}
function readArray(length) {
  if (length > srcEnd - position || (arrayAllocationBudget -= length) < 0) throw endOfMessagePackError(position + length);
  let array = new Array(length);
  for (let i = 0; i < length; i++) {
    array[i] = read();
  }
  if (currentUnpackr.freezeData)
    return Object.freeze(array);
  return array;
}
function readMap(length) {
  if (length > (srcEnd - position) / 2) throw endOfMessagePackError(position + 2 * length);
  if (currentUnpackr.mapsAsObjects) {
    let object = {};
    for (let i = 0; i < length; i++) {
      let key = readKey();
      if (key === "__proto__")
        key = "__proto_";
      object[key] = read();
    }
    return object;
  } else {
    let map = /* @__PURE__ */ new Map();
    for (let i = 0; i < length; i++) {
      map.set(read(), read());
    }
    return map;
  }
}
var fromCharCode = String.fromCharCode;
function longStringInJS(length) {
  let start = position;
  if (src.latin1Slice) {
    let end = start + length;
    if (end > srcEnd)
      return;
    for (let i = start; i < end; i++) {
      if ((src[i] & 128) > 0)
        return;
    }
    position = end;
    return src.latin1Slice(start, end);
  }
  let bytes = new Array(length);
  for (let i = 0; i < length; i++) {
    const byte = src[position++];
    if ((byte & 128) > 0) {
      position = start;
      return;
    }
    bytes[i] = byte;
  }
  return fromCharCode.apply(String, bytes);
}
function shortStringInJS(length) {
  if (length < 4) {
    if (length < 2) {
      if (length === 0)
        return "";
      else {
        let a = src[position++];
        if ((a & 128) > 1) {
          position -= 1;
          return;
        }
        return fromCharCode(a);
      }
    } else {
      let a = src[position++];
      let b = src[position++];
      if ((a & 128) > 0 || (b & 128) > 0) {
        position -= 2;
        return;
      }
      if (length < 3)
        return fromCharCode(a, b);
      let c = src[position++];
      if ((c & 128) > 0) {
        position -= 3;
        return;
      }
      return fromCharCode(a, b, c);
    }
  } else {
    let a = src[position++];
    let b = src[position++];
    let c = src[position++];
    let d = src[position++];
    if ((a & 128) > 0 || (b & 128) > 0 || (c & 128) > 0 || (d & 128) > 0) {
      position -= 4;
      return;
    }
    if (length < 6) {
      if (length === 4)
        return fromCharCode(a, b, c, d);
      else {
        let e = src[position++];
        if ((e & 128) > 0) {
          position -= 5;
          return;
        }
        return fromCharCode(a, b, c, d, e);
      }
    } else if (length < 8) {
      let e = src[position++];
      let f = src[position++];
      if ((e & 128) > 0 || (f & 128) > 0) {
        position -= 6;
        return;
      }
      if (length < 7)
        return fromCharCode(a, b, c, d, e, f);
      let g = src[position++];
      if ((g & 128) > 0) {
        position -= 7;
        return;
      }
      return fromCharCode(a, b, c, d, e, f, g);
    } else {
      let e = src[position++];
      let f = src[position++];
      let g = src[position++];
      let h = src[position++];
      if ((e & 128) > 0 || (f & 128) > 0 || (g & 128) > 0 || (h & 128) > 0) {
        position -= 8;
        return;
      }
      if (length < 10) {
        if (length === 8)
          return fromCharCode(a, b, c, d, e, f, g, h);
        else {
          let i = src[position++];
          if ((i & 128) > 0) {
            position -= 9;
            return;
          }
          return fromCharCode(a, b, c, d, e, f, g, h, i);
        }
      } else if (length < 12) {
        let i = src[position++];
        let j = src[position++];
        if ((i & 128) > 0 || (j & 128) > 0) {
          position -= 10;
          return;
        }
        if (length < 11)
          return fromCharCode(a, b, c, d, e, f, g, h, i, j);
        let k = src[position++];
        if ((k & 128) > 0) {
          position -= 11;
          return;
        }
        return fromCharCode(a, b, c, d, e, f, g, h, i, j, k);
      } else {
        let i = src[position++];
        let j = src[position++];
        let k = src[position++];
        let l = src[position++];
        if ((i & 128) > 0 || (j & 128) > 0 || (k & 128) > 0 || (l & 128) > 0) {
          position -= 12;
          return;
        }
        if (length < 14) {
          if (length === 12)
            return fromCharCode(a, b, c, d, e, f, g, h, i, j, k, l);
          else {
            let m = src[position++];
            if ((m & 128) > 0) {
              position -= 13;
              return;
            }
            return fromCharCode(a, b, c, d, e, f, g, h, i, j, k, l, m);
          }
        } else {
          let m = src[position++];
          let n = src[position++];
          if ((m & 128) > 0 || (n & 128) > 0) {
            position -= 14;
            return;
          }
          if (length < 15)
            return fromCharCode(a, b, c, d, e, f, g, h, i, j, k, l, m, n);
          let o = src[position++];
          if ((o & 128) > 0) {
            position -= 15;
            return;
          }
          return fromCharCode(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o);
        }
      }
    }
  }
}
function readOnlyJSString() {
  let token = src[position++];
  let length;
  if (token < 192) {
    length = token - 160;
  } else {
    switch (token) {
      case 217:
        length = src[position++];
        break;
      case 218:
        length = dataView.getUint16(position);
        position += 2;
        break;
      case 219:
        length = dataView.getUint32(position);
        position += 4;
        break;
      default:
        throw new Error("Expected string");
    }
  }
  return readStringJS(length);
}
function readBin(length) {
  return currentUnpackr.copyBuffers ? (
    // specifically use the copying slice (not the node one)
    Uint8Array.prototype.slice.call(src, position, position += length)
  ) : src.subarray(position, position += length);
}
function readExt(length) {
  if (length >= srcEnd - position) throw endOfMessagePackError(position + 1 + length);
  let type = src[position++];
  if (currentExtensions[type]) {
    let end;
    return currentExtensions[type](src.subarray(position, end = position += length), (readPosition) => {
      position = readPosition;
      try {
        return read();
      } finally {
        position = end;
      }
    });
  } else
    throw new Error("Unknown extension type " + type);
}
var keyCache = new Array(4096);
function readKey() {
  let length = src[position++];
  if (length >= 160 && length < 192) {
    length = length - 160;
    if (srcStringEnd >= position)
      return srcString.slice(position - srcStringStart, (position += length) - srcStringStart);
    else if (!(srcStringEnd == 0 && srcEnd < 180))
      return readFixedString(length);
  } else {
    position--;
    return asSafeString(read());
  }
  if (length > srcEnd - position) throw endOfMessagePackError(position + length);
  let key = (length << 5 ^ (length > 1 ? dataView.getUint16(position) : length > 0 ? src[position] : 0)) & 4095;
  let entry = keyCache[key];
  let checkPosition = position;
  let end = position + length - 3;
  let chunk;
  let i = 0;
  if (entry && entry.bytes == length) {
    while (checkPosition < end) {
      chunk = dataView.getUint32(checkPosition);
      if (chunk != entry[i++]) {
        checkPosition = 1879048192;
        break;
      }
      checkPosition += 4;
    }
    end += 3;
    while (checkPosition < end) {
      chunk = src[checkPosition++];
      if (chunk != entry[i++]) {
        checkPosition = 1879048192;
        break;
      }
    }
    if (checkPosition === end) {
      position = checkPosition;
      return entry.string;
    }
    end -= 3;
    checkPosition = position;
  }
  entry = [];
  keyCache[key] = entry;
  entry.bytes = length;
  while (checkPosition < end) {
    chunk = dataView.getUint32(checkPosition);
    entry.push(chunk);
    checkPosition += 4;
  }
  end += 3;
  while (checkPosition < end) {
    chunk = src[checkPosition++];
    entry.push(chunk);
  }
  let string = length < 16 ? shortStringInJS(length) : longStringInJS(length);
  if (string != null)
    return entry.string = string;
  return entry.string = readFixedString(length);
}
function asSafeString(property) {
  if (typeof property === "string") return property;
  if (typeof property === "number" || typeof property === "boolean" || typeof property === "bigint") return property.toString();
  if (property == null) return property + "";
  if (currentUnpackr.allowArraysInMapKeys && Array.isArray(property) && property.flat().every((item) => ["string", "number", "boolean", "bigint"].includes(typeof item))) {
    return property.flat().toString();
  }
  throw new Error(`Invalid property type for record: ${typeof property}. A MessagePack map with non-string keys can be decoded as a Map with mapsAsObjects: false`);
}
var recordDefinition = (id, highByte) => {
  let structure = read().map(asSafeString);
  let firstByte = id;
  if (highByte !== void 0) {
    id = id < 32 ? -((highByte << 5) + id) : (highByte << 5) + id;
    structure.highByte = highByte;
  }
  let existingStructure = currentStructures[id];
  if (sequentialMode || existingStructure && existingStructure.isShared) {
    let restore = currentStructures.restoreStructures || (currentStructures.restoreStructures = []);
    if (!(id in restore))
      restore[id] = existingStructure;
  }
  currentStructures[id] = structure;
  structure.read = createStructureReader(structure, firstByte);
  return (structure.read0 || structure.read)();
};
currentExtensions[0] = () => {
};
currentExtensions[0].noBuffer = true;
currentExtensions[66] = (data) => {
  let headLength = data.byteLength % 8 || 8;
  let head = BigInt(data[0] & 128 ? data[0] - 256 : data[0]);
  for (let i = 1; i < headLength; i++) {
    head <<= BigInt(8);
    head += BigInt(data[i]);
  }
  if (data.byteLength !== headLength) {
    let view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let decode2 = (start, end) => {
      let length = end - start;
      if (length <= 40) {
        let out = view.getBigUint64(start);
        for (let i = start + 8; i < end; i += 8) {
          out <<= BigInt(64);
          out |= view.getBigUint64(i);
        }
        return out;
      }
      let middle = start + (length >> 4 << 3);
      let left = decode2(start, middle);
      let right = decode2(middle, end);
      return left << BigInt((end - middle) * 8) | right;
    };
    head = head << BigInt((view.byteLength - headLength) * 8) | decode2(headLength, view.byteLength);
  }
  return head;
};
var errors = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  AggregateError: typeof AggregateError === "function" ? AggregateError : null
};
currentExtensions[101] = () => {
  let data = read();
  if (data[0] === "AggregateError" && errors.AggregateError) {
    return new errors.AggregateError(data[3] || [], data[1], { cause: data[2] });
  }
  if (!errors[data[0]]) {
    let error = Error(data[1], { cause: data[2] });
    error.name = data[0];
    return error;
  }
  return errors[data[0]](data[1], { cause: data[2] });
};
currentExtensions[105] = (data) => {
  if (currentUnpackr.structuredClone === false) throw new Error("Structured clone extension is disabled");
  let id = dataView.getUint32(position - 4);
  if (!referenceMap)
    referenceMap = /* @__PURE__ */ new Map();
  let token = src[position];
  let target2;
  if (token >= 144 && token < 160 || token == 220 || token == 221)
    target2 = [];
  else if (token >= 128 && token < 144 || token == 222 || token == 223)
    target2 = /* @__PURE__ */ new Map();
  else if ((token >= 199 && token <= 201 || token >= 212 && token <= 216) && src[position + 1] === 115)
    target2 = /* @__PURE__ */ new Set();
  else
    target2 = {};
  let refEntry = { target: target2 };
  referenceMap.set(id, refEntry);
  let targetProperties = read();
  if (!refEntry.used) {
    return refEntry.target = targetProperties;
  } else {
    Object.assign(target2, targetProperties);
  }
  if (target2 instanceof Map)
    for (let [k, v] of targetProperties.entries()) target2.set(k, v);
  if (target2 instanceof Set)
    for (let i of Array.from(targetProperties)) target2.add(i);
  return target2;
};
currentExtensions[112] = (data) => {
  if (currentUnpackr.structuredClone === false) throw new Error("Structured clone extension is disabled");
  let id = dataView.getUint32(position - 4);
  let refEntry = referenceMap.get(id);
  refEntry.used = true;
  return refEntry.target;
};
currentExtensions[115] = () => new Set(read());
var typedArrays = ["Int8", "Uint8", "Uint8Clamped", "Int16", "Uint16", "Int32", "Uint32", "Float32", "Float64", "BigInt64", "BigUint64"].map((type) => type + "Array");
var glbl = typeof globalThis === "object" ? globalThis : window;
currentExtensions[116] = (data) => {
  let typeCode = data[0];
  let buffer = Uint8Array.prototype.slice.call(data, 1).buffer;
  let typedArrayName = typedArrays[typeCode];
  if (!typedArrayName) {
    if (typeCode === 16) return buffer;
    if (typeCode === 17) return new DataView(buffer);
    throw new Error("Could not find typed array for code " + typeCode);
  }
  return new glbl[typedArrayName](buffer);
};
currentExtensions[120] = () => {
  let data = read();
  return new RegExp(data[0], data[1]);
};
var TEMP_BUNDLE = [];
currentExtensions[98] = (data) => {
  let dataSize = (data[0] << 24) + (data[1] << 16) + (data[2] << 8) + data[3];
  let dataPosition = position;
  position += dataSize - data.length;
  bundledStrings = TEMP_BUNDLE;
  bundledStrings = [readOnlyJSString(), readOnlyJSString()];
  bundledStrings.position0 = 0;
  bundledStrings.position1 = 0;
  bundledStrings.postBundlePosition = position;
  position = dataPosition;
  return read();
};
currentExtensions[255] = (data) => {
  if (data.length == 4)
    return new Date((data[0] * 16777216 + (data[1] << 16) + (data[2] << 8) + data[3]) * 1e3);
  else if (data.length == 8)
    return new Date(
      ((data[0] << 22) + (data[1] << 14) + (data[2] << 6) + (data[3] >> 2)) / 1e6 + ((data[3] & 3) * 4294967296 + data[4] * 16777216 + (data[5] << 16) + (data[6] << 8) + data[7]) * 1e3
    );
  else if (data.length == 12)
    return new Date(
      ((data[0] << 24) + (data[1] << 16) + (data[2] << 8) + data[3]) / 1e6 + ((data[4] & 128 ? -281474976710656 : 0) + data[6] * 1099511627776 + data[7] * 4294967296 + data[8] * 16777216 + (data[9] << 16) + (data[10] << 8) + data[11]) * 1e3
    );
  else
    return /* @__PURE__ */ new Date("invalid");
};
function saveState(callback) {
  if (currentUnpackr && currentUnpackr._onSaveState)
    currentUnpackr._onSaveState();
  let savedSrcEnd = srcEnd;
  let savedPosition = position;
  let savedStringPosition = stringPosition;
  let savedSrcStringStart = srcStringStart;
  let savedSrcStringEnd = srcStringEnd;
  let savedSrcString = srcString;
  let savedStrings = strings;
  let savedReferenceMap = referenceMap;
  let savedBundledStrings = bundledStrings;
  let savedArrayAllocationBudget = arrayAllocationBudget;
  let savedSrc = new Uint8Array(src.slice(0, srcEnd));
  let savedStructures = currentStructures;
  let savedStructuresContents = currentStructures.slice(0, currentStructures.length);
  let savedPackr = currentUnpackr;
  let savedSequentialMode = sequentialMode;
  let savedFragmentEnd = fragmentEnd;
  fragmentEnd = 0;
  try {
    return callback();
  } catch (error) {
    if (error && typeof error == "object")
      nestedUnpackErrors.add(error);
    throw error;
  } finally {
    srcEnd = savedSrcEnd;
    position = savedPosition;
    stringPosition = savedStringPosition;
    srcStringStart = savedSrcStringStart;
    srcStringEnd = savedSrcStringEnd;
    srcString = savedSrcString;
    strings = savedStrings;
    referenceMap = savedReferenceMap;
    bundledStrings = savedBundledStrings;
    arrayAllocationBudget = savedArrayAllocationBudget;
    src = savedSrc;
    sequentialMode = savedSequentialMode;
    fragmentEnd = savedFragmentEnd;
    currentStructures = savedStructures;
    currentStructures.splice(0, currentStructures.length, ...savedStructuresContents);
    currentUnpackr = savedPackr;
    dataView = new DataView(src.buffer, src.byteOffset, src.byteLength);
  }
}
function clearSource() {
  src = null;
  referenceMap = null;
  currentStructures = null;
}
var builtinExtensions = currentExtensions.slice(0);
var mult10 = new Array(147);
for (let i = 0; i < 256; i++) {
  mult10[i] = +("1e" + Math.floor(45.15 - i * 0.30103));
}
var defaultUnpackr = new Unpackr({ useRecords: false });
var unpack = defaultUnpackr.unpack;
var unpackMultiple = defaultUnpackr.unpackMultiple;
var decode = defaultUnpackr.unpack;
var FLOAT32_OPTIONS = {
  NEVER: 0,
  ALWAYS: 1,
  DECIMAL_ROUND: 3,
  DECIMAL_FIT: 4
};
var f32Array = new Float32Array(1);
var u8Array = new Uint8Array(f32Array.buffer, 0, 4);
Unpackr.SUPPORTS_STRUCT_HOOKS = true;

// node_modules/msgpackr/pack.js
var textEncoder;
try {
  textEncoder = new TextEncoder();
} catch (error) {
}
var extensions;
var extensionClasses;
var hasNodeBuffer = typeof Buffer !== "undefined";
var ByteArrayAllocate = hasNodeBuffer ? function(length) {
  return Buffer.allocUnsafeSlow(length);
} : Uint8Array;
var ByteArray = hasNodeBuffer ? Buffer : Uint8Array;
var MAX_BUFFER_SIZE = hasNodeBuffer ? 4294967296 : 2144337920;
var target;
var keysTarget;
var targetView;
var position2 = 0;
var safeEnd;
var bundledStrings2 = null;
var packing = false;
var MAX_BUNDLE_SIZE = 21760;
var hasNonLatin = /[\u0080-\uFFFF]/;
var RECORD_SYMBOL = /* @__PURE__ */ Symbol("record-id");
var Packr = class extends Unpackr {
  constructor(options) {
    super(options);
    this.offset = 0;
    let typeBuffer;
    let start;
    let hasSharedUpdate;
    let structures;
    let referenceMap2;
    let encodeUtf8 = ByteArray.prototype.utf8Write ? function(string, position3) {
      return target.utf8Write(string, position3, target.byteLength - position3);
    } : textEncoder && textEncoder.encodeInto ? function(string, position3) {
      return textEncoder.encodeInto(string, target.subarray(position3)).written;
    } : false;
    let packr2 = this;
    if (!options)
      options = {};
    let isSequential = options && options.sequential;
    let hasSharedStructures = options.structures || options.saveStructures;
    let maxSharedStructures = options.maxSharedStructures;
    if (maxSharedStructures == null)
      maxSharedStructures = hasSharedStructures ? 32 : 0;
    if (maxSharedStructures > 8160)
      throw new Error("Maximum maxSharedStructure is 8160");
    if (options.structuredClone && options.moreTypes == void 0) {
      this.moreTypes = true;
    }
    let maxOwnStructures = options.maxOwnStructures;
    if (maxOwnStructures == null)
      maxOwnStructures = hasSharedStructures ? 32 : 64;
    if (!this.structures && options.useRecords != false)
      this.structures = [];
    let useTwoByteRecords = maxSharedStructures > 32 || maxOwnStructures + maxSharedStructures > 64;
    let sharedLimitId = maxSharedStructures + 64;
    let maxStructureId = maxSharedStructures + maxOwnStructures + 64;
    if (maxStructureId > 8256) {
      throw new Error("Maximum maxSharedStructure + maxOwnStructure is 8192");
    }
    let recordIdsToRemove = [];
    let transitionsCount = 0;
    let serializationsSinceTransitionRebuild = 0;
    let instancePacking = false;
    let reentrantDepth = 0;
    let pendingNestedStructures = null;
    this.pack = this.encode = function(value, encodeOptions) {
      if (packing) {
        return saveState2(value, encodeOptions);
      }
      if (!target) {
        target = new ByteArrayAllocate(8192);
        targetView = target.dataView || (target.dataView = new DataView(target.buffer, 0, 8192));
        position2 = 0;
      }
      safeEnd = target.length - 10;
      if (safeEnd - position2 < 2048) {
        target = new ByteArrayAllocate(target.length);
        targetView = target.dataView || (target.dataView = new DataView(target.buffer, 0, target.length));
        safeEnd = target.length - 10;
        position2 = 0;
      } else
        position2 = position2 + 7 & 2147483640;
      start = position2;
      if (encodeOptions & RESERVE_START_SPACE) position2 += encodeOptions & 255;
      referenceMap2 = packr2.structuredClone ? /* @__PURE__ */ new Map() : null;
      if (packr2.bundleStrings && typeof value !== "string") {
        bundledStrings2 = [];
        bundledStrings2.size = Infinity;
      } else
        bundledStrings2 = null;
      structures = packr2.structures;
      if (structures) {
        if (structures.uninitialized)
          structures = packr2._mergeStructures(packr2.getStructures());
        let sharedLength = structures.sharedLength || 0;
        if (sharedLength > maxSharedStructures) {
          throw new Error("Shared structures is larger than maximum shared structures, try increasing maxSharedStructures to " + structures.sharedLength);
        }
        if (!structures.transitions) {
          rebuildTransitions(reentrantDepth && packr2.saveStructures ? Math.min(sharedLength, packr2.lastNamedStructuresLength || 0) : sharedLength);
          if (!reentrantDepth)
            packr2.lastNamedStructuresLength = sharedLength;
        }
        if (!isSequential || !(structures.nextId >= sharedLength + 64)) {
          structures.nextId = sharedLength + 64;
        }
      }
      if (hasSharedUpdate)
        hasSharedUpdate = false;
      if (!reentrantDepth && pendingNestedStructures)
        pendingNestedStructures = null;
      let encodingError;
      packing = true;
      instancePacking = true;
      try {
        if (packr2._writeStruct && !(reentrantDepth && packr2.saveStructures) && value && typeof value === "object") {
          if (value.constructor === Object) writeStruct(value);
          else if (value.constructor !== Map && !Array.isArray(value) && !extensionClasses.some((extClass) => value instanceof extClass)) {
            writeStruct(packr2.useToJSON !== false && value.toJSON ? value.toJSON() : value);
          } else pack2(value);
        } else
          pack2(value);
        let lastBundle = bundledStrings2;
        if (bundledStrings2)
          writeBundles(start, pack2, 0);
        if (referenceMap2 && referenceMap2.idsToInsert) {
          let idsToInsert = referenceMap2.idsToInsert.sort((a, b) => a.offset > b.offset ? 1 : -1);
          let i = idsToInsert.length;
          let incrementPosition = -1;
          while (lastBundle && i > 0) {
            let insertionPoint = idsToInsert[--i].offset + start;
            if (insertionPoint < lastBundle.stringsPosition + start && incrementPosition === -1)
              incrementPosition = 0;
            if (insertionPoint > lastBundle.position + start) {
              if (incrementPosition >= 0)
                incrementPosition += 6;
            } else {
              if (incrementPosition >= 0) {
                targetView.setUint32(
                  lastBundle.position + start,
                  targetView.getUint32(lastBundle.position + start) + incrementPosition
                );
                incrementPosition = -1;
              }
              lastBundle = lastBundle.previous;
              i++;
            }
          }
          if (incrementPosition >= 0 && lastBundle) {
            targetView.setUint32(
              lastBundle.position + start,
              targetView.getUint32(lastBundle.position + start) + incrementPosition
            );
          }
          position2 += idsToInsert.length * 6;
          if (position2 > safeEnd)
            makeRoom(position2);
          packr2.offset = position2;
          let serialized = insertIds(target.subarray(start, position2), idsToInsert);
          referenceMap2 = null;
          return serialized;
        }
        packr2.offset = position2;
        if (encodeOptions & REUSE_BUFFER_MODE) {
          target.start = start;
          target.end = position2;
          return target;
        }
        return target.subarray(start, position2);
      } catch (error) {
        encodingError = error;
        throw error;
      } finally {
        instancePacking = false;
        if (structures) {
          resetStructures();
          if (pendingNestedStructures && !reentrantDepth) {
            let toPromote = pendingNestedStructures;
            pendingNestedStructures = null;
            if (!encodingError && packr2.saveStructures) {
              let sharedLength = structures.sharedLength || 0;
              if (!structures.transitions)
                rebuildTransitions(sharedLength);
              for (let i = 0, l = toPromote.length; i < l && sharedLength < maxSharedStructures; i++) {
                let keys = toPromote[i];
                let nextTransition, transition = structures.transitions;
                for (let j = 0, kl = keys.length; j < kl; j++) {
                  let key = keys[j];
                  nextTransition = transition[key];
                  if (!nextTransition)
                    nextTransition = transition[key] = /* @__PURE__ */ Object.create(null);
                  transition = nextTransition;
                }
                if (!transition[RECORD_SYMBOL]) {
                  let recordId = sharedLength + 64;
                  keys.highByte = recordId >= 96 && useTwoByteRecords ? recordId - 96 >> 5 : -1;
                  keys.isShared = true;
                  transition[RECORD_SYMBOL] = recordId;
                  transition.__keys__ = keys;
                  structures[sharedLength++] = keys;
                  structures.sharedLength = sharedLength;
                  hasSharedUpdate = true;
                }
              }
              if (!isSequential || !(structures.nextId >= sharedLength + 64))
                structures.nextId = sharedLength + 64;
            }
          }
          if (hasSharedUpdate && !reentrantDepth && packr2.saveStructures) {
            let sharedLength = structures.sharedLength || 0;
            let returnBuffer = target.subarray(start, position2);
            if (!encodingError) {
              let saveSucceeded = false;
              try {
                let newSharedData = (packr2._prepareStructures || prepareStructures)(structures, packr2);
                if (packr2.saveStructures(newSharedData, newSharedData.isCompatible) === false) {
                  structures.uninitialized = true;
                  saveSucceeded = true;
                  packing = false;
                  return packr2.pack(value, encodeOptions);
                }
                saveSucceeded = true;
              } finally {
                packing = false;
                if (!saveSucceeded) {
                  structures = packr2.structures;
                  if (packr2.getStructures)
                    structures.uninitialized = true;
                  structures.length = structures.sharedLength = packr2.lastNamedStructuresLength || 0;
                  structures.transitions = null;
                }
              }
              packr2.lastNamedStructuresLength = sharedLength;
              if (target.length > 1073741824) target = null;
              return returnBuffer;
            }
            if (packr2.getStructures)
              structures.uninitialized = true;
            structures.length = structures.sharedLength = packr2.lastNamedStructuresLength || 0;
            structures.transitions = null;
          }
        }
        packing = false;
        if (target.length > 1073741824) target = null;
        if (encodeOptions & RESET_BUFFER_MODE)
          position2 = start;
      }
    };
    const rebuildTransitions = (sharedLength) => {
      structures.transitions = /* @__PURE__ */ Object.create(null);
      for (let i = 0; i < sharedLength; i++) {
        let keys = structures[i];
        if (!keys)
          continue;
        let nextTransition, transition = structures.transitions;
        for (let j = 0, l = keys.length; j < l; j++) {
          let key = keys[j];
          nextTransition = transition[key];
          if (!nextTransition) {
            nextTransition = transition[key] = /* @__PURE__ */ Object.create(null);
          }
          transition = nextTransition;
        }
        transition[RECORD_SYMBOL] = i + 64;
      }
    };
    const saveState2 = (value, encodeOptions) => {
      let savedTarget = target;
      let savedTargetView = targetView;
      let savedPosition = position2;
      let savedSafeEnd = safeEnd;
      let savedBundledStrings = bundledStrings2;
      let savedStart = start;
      let savedReferenceMap = referenceMap2;
      let savedHasSharedUpdate = hasSharedUpdate;
      let wasInstancePacking = instancePacking;
      let savedStructures, savedTransitions, savedNextId, savedNextOwnId, savedRecordIdsToRemove, savedRecordIds, savedOwnStructures, savedSharedLength, savedLastNamedLength, savedUnsavedShared, savedTransitionsCount, savedPendingNestedLen;
      let nestedSucceeded = false;
      if (wasInstancePacking) {
        savedPendingNestedLen = pendingNestedStructures ? pendingNestedStructures.length : 0;
        reentrantDepth++;
      }
      try {
        if (wasInstancePacking && structures) {
          savedStructures = structures;
          savedTransitions = structures.transitions;
          savedNextId = structures.nextId;
          savedNextOwnId = structures.nextOwnId;
          savedLastNamedLength = packr2.lastNamedStructuresLength;
          savedSharedLength = structures.sharedLength || 0;
          savedOwnStructures = structures.slice(savedSharedLength);
          savedRecordIdsToRemove = recordIdsToRemove;
          savedRecordIds = [];
          for (let i = 0, l = recordIdsToRemove.length; i < l; i++) {
            let transition = recordIdsToRemove[i];
            let recordId = transition[RECORD_SYMBOL];
            savedRecordIds[i] = recordId;
            transition[RECORD_SYMBOL] = 0;
            if (recordId >= savedSharedLength + 64 && transition.__keys__)
              savedOwnStructures[recordId - savedSharedLength - 64] = transition.__keys__;
          }
          recordIdsToRemove = [];
          if (savedHasSharedUpdate && packr2.saveStructures && savedTransitions) {
            savedUnsavedShared = [];
            for (let i = savedLastNamedLength || 0; i < savedSharedLength; i++) {
              let keys = structures[i];
              if (!keys)
                continue;
              let transition = savedTransitions;
              for (let j = 0, l = keys.length; j < l && transition; j++) {
                transition = transition[keys[j]];
              }
              if (transition && transition[RECORD_SYMBOL] === i + 64) {
                savedUnsavedShared.push(transition, i + 64, transition.__keys__);
                transition[RECORD_SYMBOL] = 0;
                transition.__keys__ = null;
              }
            }
          }
          structures.length = savedSharedLength;
          structures.nextId = savedSharedLength + 64;
          structures.nextOwnId = void 0;
          savedTransitionsCount = transitionsCount;
          transitionsCount = 0;
        }
        target = null;
        packing = false;
        instancePacking = false;
        let result = packr2.pack(value, encodeOptions);
        nestedSucceeded = true;
        return result;
      } finally {
        if (!nestedSucceeded && wasInstancePacking && pendingNestedStructures)
          pendingNestedStructures.length = savedPendingNestedLen;
        packing = true;
        instancePacking = wasInstancePacking;
        target = savedTarget;
        targetView = savedTargetView;
        position2 = savedPosition;
        safeEnd = savedSafeEnd;
        bundledStrings2 = savedBundledStrings;
        start = savedStart;
        referenceMap2 = savedReferenceMap;
        if (wasInstancePacking) {
          reentrantDepth--;
          hasSharedUpdate = savedHasSharedUpdate || hasSharedUpdate;
          structures = packr2.structures;
          if (structures && savedOwnStructures) {
            if (recordIdsToRemove !== savedRecordIdsToRemove) {
              for (let i = 0, l = recordIdsToRemove.length; i < l; i++) {
                recordIdsToRemove[i][RECORD_SYMBOL] = 0;
              }
            }
            let currentSharedLength = structures.sharedLength || 0;
            if (structures !== savedStructures) {
              if (savedHasSharedUpdate || savedOwnStructures.length > 0) {
                for (let i = 0; i < savedSharedLength; i++) {
                  if (savedStructures[i] !== void 0)
                    structures[i] = savedStructures[i];
                }
                currentSharedLength = structures.sharedLength = structures.length = savedSharedLength;
                packr2.lastNamedStructuresLength = savedLastNamedLength;
              } else if (!reentrantDepth && !hasSharedUpdate) {
                packr2.lastNamedStructuresLength = currentSharedLength;
              }
            }
            structures.length = Math.max(currentSharedLength, savedSharedLength + savedOwnStructures.length);
            for (let i = Math.max(0, currentSharedLength - savedSharedLength), l = savedOwnStructures.length; i < l; i++) {
              if (savedOwnStructures[i] !== void 0)
                structures[savedSharedLength + i] = savedOwnStructures[i];
            }
            if (structures.transitions !== savedTransitions || structures !== savedStructures) {
              if (structures === savedStructures && !structures.transitions && currentSharedLength === savedSharedLength) {
                structures.transitions = savedTransitions;
              } else {
                rebuildTransitions(reentrantDepth && packr2.saveStructures ? Math.min(currentSharedLength, packr2.lastNamedStructuresLength || 0) : currentSharedLength);
                savedUnsavedShared = null;
                savedRecordIdsToRemove = [];
                savedRecordIds = [];
                for (let i = Math.max(0, currentSharedLength - savedSharedLength), l = savedOwnStructures.length; i < l; i++) {
                  let keys = savedOwnStructures[i];
                  if (!keys)
                    continue;
                  let nextTransition, transition = structures.transitions;
                  for (let j = 0, kl = keys.length; j < kl; j++) {
                    let key = keys[j];
                    nextTransition = transition[key];
                    if (!nextTransition)
                      nextTransition = transition[key] = /* @__PURE__ */ Object.create(null);
                    transition = nextTransition;
                  }
                  if (!transition[RECORD_SYMBOL]) {
                    savedRecordIdsToRemove.push(transition);
                    savedRecordIds.push(savedSharedLength + i + 64);
                  }
                }
              }
            }
            if (savedUnsavedShared) {
              for (let i = 0, l = savedUnsavedShared.length; i < l; i += 3) {
                savedUnsavedShared[i][RECORD_SYMBOL] = savedUnsavedShared[i + 1];
                savedUnsavedShared[i].__keys__ = savedUnsavedShared[i + 2];
              }
            }
            recordIdsToRemove = savedRecordIdsToRemove;
            for (let i = 0, l = savedRecordIds.length; i < l; i++) {
              if (!recordIdsToRemove[i][RECORD_SYMBOL])
                recordIdsToRemove[i][RECORD_SYMBOL] = savedRecordIds[i];
            }
            structures.nextId = !(savedNextId >= currentSharedLength + 64) ? currentSharedLength + 64 : savedNextId;
            structures.nextOwnId = savedNextOwnId;
            if (savedTransitionsCount !== void 0)
              transitionsCount += savedTransitionsCount;
          }
        } else {
          hasSharedUpdate = savedHasSharedUpdate;
        }
      }
    };
    const resetStructures = () => {
      if (serializationsSinceTransitionRebuild < 10)
        serializationsSinceTransitionRebuild++;
      let sharedLength = structures.sharedLength || 0;
      if (structures.length > sharedLength && !isSequential)
        structures.length = sharedLength;
      if (transitionsCount > 1e4 && !reentrantDepth) {
        structures.transitions = null;
        serializationsSinceTransitionRebuild = 0;
        transitionsCount = 0;
        if (recordIdsToRemove.length > 0)
          recordIdsToRemove = [];
      } else if (recordIdsToRemove.length > 0 && !isSequential) {
        for (let i = 0, l = recordIdsToRemove.length; i < l; i++) {
          recordIdsToRemove[i][RECORD_SYMBOL] = 0;
        }
        recordIdsToRemove = [];
      }
    };
    const packArray = (value) => {
      var length = value.length;
      if (length < 16) {
        target[position2++] = 144 | length;
      } else if (length < 65536) {
        target[position2++] = 220;
        target[position2++] = length >> 8;
        target[position2++] = length & 255;
      } else {
        target[position2++] = 221;
        targetView.setUint32(position2, length);
        position2 += 4;
      }
      for (let i = 0; i < length; i++) {
        pack2(value[i]);
      }
    };
    const pack2 = (value) => {
      if (position2 > safeEnd)
        target = makeRoom(position2);
      var type = typeof value;
      var length;
      if (type === "string") {
        let strLength = value.length;
        if (bundledStrings2 && strLength >= 4 && strLength < 4096) {
          if ((bundledStrings2.size += strLength) > MAX_BUNDLE_SIZE) {
            let extStart;
            let maxBytes2 = (bundledStrings2[0] ? bundledStrings2[0].length * 3 + bundledStrings2[1].length : 0) + 10;
            if (position2 + maxBytes2 > safeEnd)
              target = makeRoom(position2 + maxBytes2);
            let lastBundle;
            if (bundledStrings2.position) {
              lastBundle = bundledStrings2;
              target[position2] = 200;
              position2 += 3;
              target[position2++] = 98;
              extStart = position2 - start;
              position2 += 4;
              writeBundles(start, pack2, 0);
              targetView.setUint16(extStart + start - 3, position2 - start - extStart);
            } else {
              target[position2++] = 214;
              target[position2++] = 98;
              extStart = position2 - start;
              position2 += 4;
            }
            bundledStrings2 = ["", ""];
            bundledStrings2.previous = lastBundle;
            bundledStrings2.size = 0;
            bundledStrings2.position = extStart;
          }
          let twoByte = hasNonLatin.test(value);
          bundledStrings2[twoByte ? 0 : 1] += value;
          target[position2++] = 193;
          pack2(twoByte ? -strLength : strLength);
          return;
        }
        let headerSize;
        if (strLength < 32) {
          headerSize = 1;
        } else if (strLength < 256) {
          headerSize = 2;
        } else if (strLength < 65536) {
          headerSize = 3;
        } else {
          headerSize = 5;
        }
        let maxBytes = strLength * 3;
        if (position2 + maxBytes > safeEnd)
          target = makeRoom(position2 + maxBytes);
        if (strLength < 64 || !encodeUtf8) {
          let i, c1, c2, strPosition = position2 + headerSize;
          for (i = 0; i < strLength; i++) {
            c1 = value.charCodeAt(i);
            if (c1 < 128) {
              target[strPosition++] = c1;
            } else if (c1 < 2048) {
              target[strPosition++] = c1 >> 6 | 192;
              target[strPosition++] = c1 & 63 | 128;
            } else if ((c1 & 64512) === 55296 && ((c2 = value.charCodeAt(i + 1)) & 64512) === 56320) {
              c1 = 65536 + ((c1 & 1023) << 10) + (c2 & 1023);
              i++;
              target[strPosition++] = c1 >> 18 | 240;
              target[strPosition++] = c1 >> 12 & 63 | 128;
              target[strPosition++] = c1 >> 6 & 63 | 128;
              target[strPosition++] = c1 & 63 | 128;
            } else if ((c1 & 63488) === 55296) {
              target[strPosition++] = 239;
              target[strPosition++] = 191;
              target[strPosition++] = 189;
            } else {
              target[strPosition++] = c1 >> 12 | 224;
              target[strPosition++] = c1 >> 6 & 63 | 128;
              target[strPosition++] = c1 & 63 | 128;
            }
          }
          length = strPosition - position2 - headerSize;
        } else {
          length = encodeUtf8(value, position2 + headerSize);
        }
        if (length < 32) {
          target[position2++] = 160 | length;
        } else if (length < 256) {
          if (headerSize < 2) {
            target.copyWithin(position2 + 2, position2 + 1, position2 + 1 + length);
          }
          target[position2++] = 217;
          target[position2++] = length;
        } else if (length < 65536) {
          if (headerSize < 3) {
            target.copyWithin(position2 + 3, position2 + 2, position2 + 2 + length);
          }
          target[position2++] = 218;
          target[position2++] = length >> 8;
          target[position2++] = length & 255;
        } else {
          if (headerSize < 5) {
            target.copyWithin(position2 + 5, position2 + 3, position2 + 3 + length);
          }
          target[position2++] = 219;
          targetView.setUint32(position2, length);
          position2 += 4;
        }
        position2 += length;
      } else if (type === "number") {
        if (value >>> 0 === value) {
          if (value < 32 || value < 128 && this.useRecords === false || value < 64 && !this._writeStruct) {
            target[position2++] = value;
          } else if (value < 256) {
            target[position2++] = 204;
            target[position2++] = value;
          } else if (value < 65536) {
            target[position2++] = 205;
            target[position2++] = value >> 8;
            target[position2++] = value & 255;
          } else {
            target[position2++] = 206;
            targetView.setUint32(position2, value);
            position2 += 4;
          }
        } else if (value >> 0 === value) {
          if (value >= -32) {
            target[position2++] = 256 + value;
          } else if (value >= -128) {
            target[position2++] = 208;
            target[position2++] = value + 256;
          } else if (value >= -32768) {
            target[position2++] = 209;
            targetView.setInt16(position2, value);
            position2 += 2;
          } else {
            target[position2++] = 210;
            targetView.setInt32(position2, value);
            position2 += 4;
          }
        } else {
          let useFloat32;
          if ((useFloat32 = this.useFloat32) > 0 && value < 4294967296 && value >= -2147483648) {
            target[position2++] = 202;
            targetView.setFloat32(position2, value);
            let xShifted;
            if (useFloat32 < 4 || // this checks for rounding of numbers that were encoded in 32-bit float to nearest significant decimal digit that could be preserved
            (xShifted = value * mult10[(target[position2] & 127) << 1 | target[position2 + 1] >> 7]) >> 0 === xShifted) {
              position2 += 4;
              return;
            } else
              position2--;
          }
          target[position2++] = 203;
          targetView.setFloat64(position2, value);
          position2 += 8;
        }
      } else if (type === "object" || type === "function") {
        if (!value)
          target[position2++] = 192;
        else {
          if (referenceMap2) {
            let referee = referenceMap2.get(value);
            if (referee) {
              if (!referee.id) {
                let idsToInsert = referenceMap2.idsToInsert || (referenceMap2.idsToInsert = []);
                referee.id = idsToInsert.push(referee);
              }
              target[position2++] = 214;
              target[position2++] = 112;
              targetView.setUint32(position2, referee.id);
              position2 += 4;
              return;
            } else
              referenceMap2.set(value, { offset: position2 - start });
          }
          let constructor = value.constructor;
          if (constructor === Object) {
            writeObject(value);
          } else if (constructor === Array) {
            packArray(value);
          } else if (constructor === Map) {
            if (this.mapAsEmptyObject) target[position2++] = 128;
            else {
              length = value.size;
              if (length < 16) {
                target[position2++] = 128 | length;
              } else if (length < 65536) {
                target[position2++] = 222;
                target[position2++] = length >> 8;
                target[position2++] = length & 255;
              } else {
                target[position2++] = 223;
                targetView.setUint32(position2, length);
                position2 += 4;
              }
              for (let [key, entryValue] of value) {
                pack2(key);
                pack2(entryValue);
              }
            }
          } else {
            for (let i = 0, l = extensions.length; i < l; i++) {
              let extensionClass = extensionClasses[i];
              if (value instanceof extensionClass) {
                if (value.constructor !== extensionClass && i >= l - builtInExtensionCount && packr2.useToJSON !== false && value.toJSON !== void 0 && value.toJSON !== dateToJSON && !ArrayBuffer.isView(value)) {
                  break;
                }
                let extension = extensions[i];
                if (extension.write) {
                  if (extension.type) {
                    target[position2++] = 212;
                    target[position2++] = extension.type;
                    target[position2++] = 0;
                  }
                  let writeResult = extension.write.call(this, value);
                  if (writeResult === value) {
                    if (Array.isArray(value)) {
                      packArray(value);
                    } else {
                      writeObject(value);
                    }
                  } else {
                    pack2(writeResult);
                  }
                  return;
                }
                let currentTarget = target;
                let currentTargetView = targetView;
                let currentPosition = position2;
                let currentBundledStrings = bundledStrings2;
                target = null;
                let result;
                try {
                  result = extension.pack.call(this, value, (size) => {
                    target = currentTarget;
                    currentTarget = null;
                    position2 += size;
                    if (position2 > safeEnd)
                      makeRoom(position2);
                    return {
                      target,
                      targetView,
                      position: position2 - size
                    };
                  }, pack2);
                } finally {
                  if (currentTarget) {
                    target = currentTarget;
                    targetView = currentTargetView;
                    position2 = currentPosition;
                    bundledStrings2 = currentBundledStrings;
                    safeEnd = target.length - 10;
                  }
                }
                if (result) {
                  if (result.length + position2 > safeEnd)
                    makeRoom(result.length + position2);
                  position2 = writeExtensionData(result, target, position2, extension.type);
                }
                return;
              }
            }
            if (Array.isArray(value)) {
              packArray(value);
            } else {
              if (packr2.useToJSON !== false && value.toJSON) {
                const json = value.toJSON();
                if (json !== value)
                  return pack2(json);
              }
              if (type === "function")
                return pack2(this.writeFunction && this.writeFunction(value));
              writeObject(value);
            }
          }
        }
      } else if (type === "boolean") {
        target[position2++] = value ? 195 : 194;
      } else if (type === "bigint") {
        if (value < 9223372036854776e3 && value >= -9223372036854776e3) {
          target[position2++] = 211;
          targetView.setBigInt64(position2, value);
        } else if (value < 18446744073709552e3 && value > 0) {
          target[position2++] = 207;
          targetView.setBigUint64(position2, value);
        } else {
          if (this.largeBigIntToFloat) {
            target[position2++] = 203;
            targetView.setFloat64(position2, Number(value));
          } else if (this.largeBigIntToString) {
            return pack2(value.toString());
          } else if (this.useBigIntExtension || this.moreTypes) {
            let empty = value < 0 ? BigInt(-1) : BigInt(0);
            let array;
            if (value >> BigInt(65536) === empty) {
              let mask = BigInt(18446744073709552e3) - BigInt(1);
              let chunks = [];
              while (true) {
                chunks.push(value & mask);
                if (value >> BigInt(63) === empty) break;
                value >>= BigInt(64);
              }
              array = new Uint8Array(new BigUint64Array(chunks).buffer);
              array.reverse();
            } else {
              let invert = value < 0;
              let string = (invert ? ~value : value).toString(16);
              if (string.length % 2) {
                string = "0" + string;
              } else if (parseInt(string.charAt(0), 16) >= 8) {
                string = "00" + string;
              }
              if (hasNodeBuffer) {
                array = Buffer.from(string, "hex");
              } else {
                array = new Uint8Array(string.length / 2);
                for (let i = 0; i < array.length; i++) {
                  array[i] = parseInt(string.slice(i * 2, i * 2 + 2), 16);
                }
              }
              if (invert) {
                for (let i = 0; i < array.length; i++) array[i] = ~array[i];
              }
            }
            if (array.length + position2 > safeEnd)
              makeRoom(array.length + position2);
            position2 = writeExtensionData(array, target, position2, 66);
            return;
          } else {
            throw new RangeError(value + " was too large to fit in MessagePack 64-bit integer format, use useBigIntExtension, or set largeBigIntToFloat to convert to float-64, or set largeBigIntToString to convert to string");
          }
        }
        position2 += 8;
      } else if (type === "undefined") {
        if (this.encodeUndefinedAsNil)
          target[position2++] = 192;
        else {
          target[position2++] = 212;
          target[position2++] = 0;
          target[position2++] = 0;
        }
      } else {
        throw new Error("Unknown type: " + type);
      }
    };
    const writePlainObject = this.variableMapSize || this.coercibleKeyAsNumber || this.skipValues ? (object) => {
      let keys;
      if (this.skipValues) {
        keys = [];
        for (let key2 in object) {
          if ((typeof object.hasOwnProperty !== "function" || object.hasOwnProperty(key2)) && !this.skipValues.includes(object[key2]))
            keys.push(key2);
        }
      } else {
        keys = Object.keys(object);
      }
      let length = keys.length;
      if (length < 16) {
        target[position2++] = 128 | length;
      } else if (length < 65536) {
        target[position2++] = 222;
        target[position2++] = length >> 8;
        target[position2++] = length & 255;
      } else {
        target[position2++] = 223;
        targetView.setUint32(position2, length);
        position2 += 4;
      }
      let key;
      if (this.coercibleKeyAsNumber) {
        for (let i = 0; i < length; i++) {
          key = keys[i];
          let num4 = Number(key);
          pack2(isNaN(num4) ? key : num4);
          pack2(object[key]);
        }
      } else {
        for (let i = 0; i < length; i++) {
          pack2(key = keys[i]);
          pack2(object[key]);
        }
      }
    } : (object) => {
      target[position2++] = 222;
      let objectOffset = position2 - start;
      position2 += 2;
      let size = 0;
      for (let key in object) {
        if (typeof object.hasOwnProperty !== "function" || object.hasOwnProperty(key)) {
          pack2(key);
          pack2(object[key]);
          size++;
        }
      }
      if (size > 65535) {
        throw new Error('Object is too large to serialize with fast 16-bit map size, use the "variableMapSize" option to serialize this object');
      }
      target[objectOffset++ + start] = size >> 8;
      target[objectOffset + start] = size & 255;
    };
    const writeRecord = this.useRecords === false ? writePlainObject : options.progressiveRecords && !useTwoByteRecords && maxOwnStructures > 0 ? (
      // this is about 2% faster for highly stable structures, since it only requires one for-in loop (but much more expensive when new structure needs to be written)
      (object) => {
        let nextTransition, transition = structures.transitions || (structures.transitions = /* @__PURE__ */ Object.create(null));
        let objectOffset = position2++ - start;
        let wroteKeys;
        for (let key in object) {
          if (typeof object.hasOwnProperty !== "function" || object.hasOwnProperty(key)) {
            nextTransition = transition[key];
            if (nextTransition)
              transition = nextTransition;
            else {
              let keys = Object.keys(object);
              let lastTransition = transition;
              transition = structures.transitions;
              let newTransitions = 0;
              for (let i = 0, l = keys.length; i < l; i++) {
                let key2 = keys[i];
                nextTransition = transition[key2];
                if (!nextTransition) {
                  nextTransition = transition[key2] = /* @__PURE__ */ Object.create(null);
                  newTransitions++;
                }
                transition = nextTransition;
              }
              if (objectOffset + start + 1 == position2) {
                position2--;
                newRecord(transition, keys, newTransitions);
              } else
                insertNewRecord(transition, keys, objectOffset, newTransitions);
              wroteKeys = true;
              transition = lastTransition[key];
            }
            pack2(object[key]);
          }
        }
        if (!wroteKeys) {
          let recordId = transition[RECORD_SYMBOL];
          if (recordId)
            target[objectOffset + start] = recordId;
          else
            insertNewRecord(transition, Object.keys(object), objectOffset, 0);
        }
      }
    ) : (object) => {
      let nextTransition, transition = structures.transitions || (structures.transitions = /* @__PURE__ */ Object.create(null));
      let newTransitions = 0;
      for (let key in object) if (typeof object.hasOwnProperty !== "function" || object.hasOwnProperty(key)) {
        nextTransition = transition[key];
        if (!nextTransition) {
          nextTransition = transition[key] = /* @__PURE__ */ Object.create(null);
          newTransitions++;
        }
        transition = nextTransition;
      }
      let recordId = transition[RECORD_SYMBOL];
      if (recordId) {
        if (recordId >= 96 && useTwoByteRecords) {
          target[position2++] = ((recordId -= 96) & 31) + 96;
          target[position2++] = recordId >> 5;
        } else
          target[position2++] = recordId;
      } else if (newRecord(transition, transition.__keys__ || Object.keys(object), newTransitions) === false) {
        return writePlainObject(object);
      }
      for (let key in object)
        if (typeof object.hasOwnProperty !== "function" || object.hasOwnProperty(key)) {
          pack2(object[key]);
        }
    };
    const checkUseRecords = typeof this.useRecords == "function" && this.useRecords;
    const writeObject = checkUseRecords ? (object) => {
      checkUseRecords(object) ? writeRecord(object) : writePlainObject(object);
    } : writeRecord;
    const writeStruct = (object) => {
      let newPosition = packr2._writeStruct(object, target, start, position2, structures, makeRoom, (value, newPosition2, notifySharedUpdate) => {
        if (notifySharedUpdate)
          return hasSharedUpdate = true;
        position2 = newPosition2;
        let startTarget = target;
        pack2(value);
        resetStructures();
        if (startTarget !== target) {
          return { position: position2, targetView, target };
        }
        return position2;
      });
      if (newPosition === 0)
        return writeObject(object);
      position2 = newPosition;
    };
    const makeRoom = (end) => {
      let newSize;
      if (end > 16777216) {
        if (end - start > MAX_BUFFER_SIZE)
          throw new Error("Packed buffer would be larger than maximum buffer size");
        newSize = Math.min(
          MAX_BUFFER_SIZE,
          Math.round(Math.max((end - start) * (end > 67108864 ? 1.25 : 2), 4194304) / 4096) * 4096
        );
      } else
        newSize = (Math.max(end - start << 2, target.length - 1) >> 12) + 1 << 12;
      let newBuffer = new ByteArrayAllocate(newSize);
      targetView = newBuffer.dataView || (newBuffer.dataView = new DataView(newBuffer.buffer, 0, newSize));
      end = Math.min(end, target.length);
      if (target.copy)
        target.copy(newBuffer, 0, start, end);
      else
        newBuffer.set(target.slice(start, end));
      position2 -= start;
      start = 0;
      safeEnd = newBuffer.length - 10;
      return target = newBuffer;
    };
    const newRecord = (transition, keys, newTransitions) => {
      let recordId = structures.nextId;
      if (!recordId)
        recordId = 64;
      if (recordId < sharedLimitId && (reentrantDepth && this.saveStructures || this.shouldShareStructure && !this.shouldShareStructure(keys))) {
        if (reentrantDepth && this.saveStructures && !(this.shouldShareStructure && !this.shouldShareStructure(keys)))
          (pendingNestedStructures || (pendingNestedStructures = [])).push(keys);
        if (!maxOwnStructures)
          return false;
        recordId = structures.nextOwnId;
        if (!(recordId < maxStructureId))
          recordId = sharedLimitId;
        structures.nextOwnId = recordId + 1;
      } else {
        if (recordId >= maxStructureId) {
          if (!maxOwnStructures)
            return false;
          recordId = sharedLimitId;
        }
        structures.nextId = recordId + 1;
      }
      let highByte = keys.highByte = recordId >= 96 && useTwoByteRecords ? recordId - 96 >> 5 : -1;
      transition[RECORD_SYMBOL] = recordId;
      transition.__keys__ = keys;
      structures[recordId - 64] = keys;
      if (recordId < sharedLimitId) {
        keys.isShared = true;
        structures.sharedLength = recordId - 63;
        hasSharedUpdate = true;
        if (highByte >= 0) {
          target[position2++] = (recordId & 31) + 96;
          target[position2++] = highByte;
        } else {
          target[position2++] = recordId;
        }
      } else {
        if (highByte >= 0) {
          target[position2++] = 213;
          target[position2++] = 114;
          target[position2++] = (recordId & 31) + 96;
          target[position2++] = highByte;
        } else {
          target[position2++] = 212;
          target[position2++] = 114;
          target[position2++] = recordId;
        }
        if (newTransitions)
          transitionsCount += serializationsSinceTransitionRebuild * newTransitions;
        if (recordIdsToRemove.length >= maxOwnStructures)
          recordIdsToRemove.shift()[RECORD_SYMBOL] = 0;
        recordIdsToRemove.push(transition);
        pack2(keys);
      }
    };
    const insertNewRecord = (transition, keys, insertionOffset, newTransitions) => {
      let mainTarget = target;
      let mainPosition = position2;
      let mainSafeEnd = safeEnd;
      let mainStart = start;
      target = keysTarget;
      position2 = 0;
      start = 0;
      if (!target)
        keysTarget = target = new ByteArrayAllocate(8192);
      safeEnd = target.length - 10;
      newRecord(transition, keys, newTransitions);
      keysTarget = target;
      let keysPosition = position2;
      target = mainTarget;
      position2 = mainPosition;
      safeEnd = mainSafeEnd;
      start = mainStart;
      if (keysPosition > 1) {
        let newEnd = position2 + keysPosition - 1;
        if (newEnd > safeEnd)
          makeRoom(newEnd);
        let insertionPosition = insertionOffset + start;
        target.copyWithin(insertionPosition + keysPosition, insertionPosition + 1, position2);
        target.set(keysTarget.slice(0, keysPosition), insertionPosition);
        position2 = newEnd;
      } else {
        target[insertionOffset + start] = keysTarget[0];
      }
    };
  }
  useBuffer(buffer) {
    target = buffer;
    target.dataView || (target.dataView = new DataView(target.buffer, target.byteOffset, target.byteLength));
    targetView = target.dataView;
    position2 = 0;
  }
  set position(value) {
    position2 = value;
  }
  get position() {
    return position2;
  }
  clearSharedData() {
    if (this.structures) {
      this.structures = [];
      this.lastNamedStructuresLength = 0;
    }
    if (this.typedStructs)
      this.typedStructs = [];
  }
};
var dateToJSON = Date.prototype.toJSON;
extensionClasses = [Date, Set, Error, RegExp, ArrayBuffer, Object.getPrototypeOf(Uint8Array.prototype).constructor, DataView, C1Type];
extensions = [{
  pack(date, allocateForWrite, pack2) {
    let seconds = date.getTime() / 1e3;
    if ((this.useTimestamp32 || date.getMilliseconds() === 0) && seconds >= 0 && seconds < 4294967296) {
      let { target: target2, targetView: targetView2, position: position3 } = allocateForWrite(6);
      target2[position3++] = 214;
      target2[position3++] = 255;
      targetView2.setUint32(position3, seconds);
    } else if (seconds > 0 && seconds < 17179869184) {
      let { target: target2, targetView: targetView2, position: position3 } = allocateForWrite(10);
      target2[position3++] = 215;
      target2[position3++] = 255;
      targetView2.setUint32(position3, date.getMilliseconds() * 4e6 + (seconds / 4294967296 >> 0));
      targetView2.setUint32(position3 + 4, seconds);
    } else if (isNaN(seconds)) {
      if (this.onInvalidDate) {
        allocateForWrite(0);
        return pack2(this.onInvalidDate());
      }
      let { target: target2, targetView: targetView2, position: position3 } = allocateForWrite(3);
      target2[position3++] = 212;
      target2[position3++] = 255;
      target2[position3++] = 255;
    } else {
      let { target: target2, targetView: targetView2, position: position3 } = allocateForWrite(15);
      target2[position3++] = 199;
      target2[position3++] = 12;
      target2[position3++] = 255;
      targetView2.setUint32(position3, date.getMilliseconds() * 1e6);
      targetView2.setBigInt64(position3 + 4, BigInt(Math.floor(seconds)));
    }
  }
}, {
  pack(set, allocateForWrite, pack2) {
    if (this.setAsEmptyObject) {
      allocateForWrite(0);
      return pack2({});
    }
    let array = Array.from(set);
    let { target: target2, position: position3 } = allocateForWrite(this.moreTypes ? 3 : 0);
    if (this.moreTypes) {
      target2[position3++] = 212;
      target2[position3++] = 115;
      target2[position3++] = 0;
    }
    pack2(array);
  }
}, {
  pack(error, allocateForWrite, pack2) {
    let { target: target2, position: position3 } = allocateForWrite(this.moreTypes ? 3 : 0);
    if (this.moreTypes) {
      target2[position3++] = 212;
      target2[position3++] = 101;
      target2[position3++] = 0;
    }
    let errorData = [error.name, error.message, error.cause];
    if (typeof AggregateError === "function" && error instanceof AggregateError) {
      errorData.push(error.errors);
    }
    pack2(errorData);
  }
}, {
  pack(regex, allocateForWrite, pack2) {
    let { target: target2, position: position3 } = allocateForWrite(this.moreTypes ? 3 : 0);
    if (this.moreTypes) {
      target2[position3++] = 212;
      target2[position3++] = 120;
      target2[position3++] = 0;
    }
    pack2([regex.source, regex.flags]);
  }
}, {
  pack(arrayBuffer, allocateForWrite) {
    if (this.moreTypes)
      writeExtBuffer(arrayBuffer, 16, allocateForWrite);
    else
      writeBuffer(arrayBuffer, allocateForWrite);
  }
}, {
  pack(typedArray, allocateForWrite) {
    let constructor = typedArray.constructor;
    if (constructor !== ByteArray && this.moreTypes)
      writeExtBuffer(typedArray, typedArrays.indexOf(constructor.name), allocateForWrite);
    else
      writeBuffer(typedArray, allocateForWrite);
  }
}, {
  pack(arrayBuffer, allocateForWrite) {
    if (this.moreTypes)
      writeExtBuffer(arrayBuffer, 17, allocateForWrite);
    else
      writeBuffer(arrayBuffer, allocateForWrite);
  }
}, {
  pack(c1, allocateForWrite) {
    let { target: target2, position: position3 } = allocateForWrite(1);
    target2[position3] = 193;
  }
}];
var builtInExtensionCount = extensions.length;
function writeExtBuffer(typedArray, type, allocateForWrite, encode2) {
  let length = typedArray.byteLength;
  if (length + 1 < 256) {
    var { target: target2, position: position3 } = allocateForWrite(4 + length);
    target2[position3++] = 199;
    target2[position3++] = length + 1;
  } else if (length + 1 < 65536) {
    var { target: target2, position: position3 } = allocateForWrite(5 + length);
    target2[position3++] = 200;
    target2[position3++] = length + 1 >> 8;
    target2[position3++] = length + 1 & 255;
  } else {
    var { target: target2, position: position3, targetView: targetView2 } = allocateForWrite(7 + length);
    target2[position3++] = 201;
    targetView2.setUint32(position3, length + 1);
    position3 += 4;
  }
  target2[position3++] = 116;
  target2[position3++] = type;
  if (!typedArray.buffer) typedArray = new Uint8Array(typedArray);
  target2.set(new Uint8Array(typedArray.buffer, typedArray.byteOffset, typedArray.byteLength), position3);
}
function writeBuffer(buffer, allocateForWrite) {
  if (buffer.BYTES_PER_ELEMENT !== 1)
    buffer = buffer.buffer ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
  let length = buffer.byteLength;
  var target2, position3;
  if (length < 256) {
    var { target: target2, position: position3 } = allocateForWrite(length + 2);
    target2[position3++] = 196;
    target2[position3++] = length;
  } else if (length < 65536) {
    var { target: target2, position: position3 } = allocateForWrite(length + 3);
    target2[position3++] = 197;
    target2[position3++] = length >> 8;
    target2[position3++] = length & 255;
  } else {
    var { target: target2, position: position3, targetView: targetView2 } = allocateForWrite(length + 5);
    target2[position3++] = 198;
    targetView2.setUint32(position3, length);
    position3 += 4;
  }
  target2.set(buffer, position3);
}
function writeExtensionData(result, target2, position3, type) {
  let length = result.length;
  switch (length) {
    case 1:
      target2[position3++] = 212;
      break;
    case 2:
      target2[position3++] = 213;
      break;
    case 4:
      target2[position3++] = 214;
      break;
    case 8:
      target2[position3++] = 215;
      break;
    case 16:
      target2[position3++] = 216;
      break;
    default:
      if (length < 256) {
        target2[position3++] = 199;
        target2[position3++] = length;
      } else if (length < 65536) {
        target2[position3++] = 200;
        target2[position3++] = length >> 8;
        target2[position3++] = length & 255;
      } else {
        target2[position3++] = 201;
        target2[position3++] = length >> 24;
        target2[position3++] = length >> 16 & 255;
        target2[position3++] = length >> 8 & 255;
        target2[position3++] = length & 255;
      }
  }
  target2[position3++] = type;
  target2.set(result, position3);
  position3 += length;
  return position3;
}
function insertIds(serialized, idsToInsert) {
  let nextId;
  let distanceToMove = idsToInsert.length * 6;
  let lastEnd = serialized.length - distanceToMove;
  while (nextId = idsToInsert.pop()) {
    let offset = nextId.offset;
    let id = nextId.id;
    serialized.copyWithin(offset + distanceToMove, offset, lastEnd);
    distanceToMove -= 6;
    let position3 = offset + distanceToMove;
    serialized[position3++] = 214;
    serialized[position3++] = 105;
    serialized[position3++] = id >> 24;
    serialized[position3++] = id >> 16 & 255;
    serialized[position3++] = id >> 8 & 255;
    serialized[position3++] = id & 255;
    lastEnd = offset;
  }
  return serialized;
}
function writeBundles(start, pack2, incrementPosition) {
  if (bundledStrings2.length > 0) {
    targetView.setUint32(bundledStrings2.position + start, position2 + incrementPosition - bundledStrings2.position - start);
    bundledStrings2.stringsPosition = position2 - start;
    let writeStrings = bundledStrings2;
    bundledStrings2 = null;
    pack2(writeStrings[0]);
    pack2(writeStrings[1]);
  }
}
function prepareStructures(structures, packr2) {
  structures.isCompatible = (existingStructures) => {
    let compatible = !existingStructures || (packr2.lastNamedStructuresLength || 0) === existingStructures.length;
    if (!compatible)
      packr2._mergeStructures(existingStructures);
    return compatible;
  };
  return structures;
}
Packr.SUPPORTS_STRUCT_HOOKS = true;
var defaultPackr = new Packr({ useRecords: false });
var pack = defaultPackr.pack;
var encode = defaultPackr.pack;
var { NEVER, ALWAYS, DECIMAL_ROUND, DECIMAL_FIT } = FLOAT32_OPTIONS;
var REUSE_BUFFER_MODE = 512;
var RESET_BUFFER_MODE = 1024;
var RESERVE_START_SPACE = 2048;

// Plugin/Parley/TypeScript/core/protocol/wire-codec.ts
var packr = new Packr({ useRecords: false, variableMapSize: true });
var unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: "number" });
function encodeMessage(frame) {
  return packr.pack(frame);
}
function decodeMessage(data) {
  const bytes = toBytes(data);
  if (!bytes) return { ok: false, message: typeof data === "string" ? "text message (the protocol is binary only)" : "message is not binary" };
  if (bytes.byteLength === 0) return { ok: false, message: "empty message" };
  try {
    const values = unpackr.unpackMultiple(bytes);
    if (!Array.isArray(values) || values.length !== 1) return { ok: false, message: "a message must hold exactly one msgpack value" };
    return { ok: true, value: values[0] };
  } catch (err) {
    return { ok: false, message: `not valid msgpack (${err instanceof Error ? err.message.slice(0, 120) : "decode error"})` };
  }
}
function isArrayBuffer(x) {
  return Object.prototype.toString.call(x) === "[object ArrayBuffer]";
}
function toBytes(data) {
  if (isArrayBuffer(data)) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

// Plugin/Parley/TypeScript/core/protocol/server-frames.ts
var FieldError = class extends Error {
};
var fail = (field, what) => {
  throw new FieldError(`${field}: ${what}`);
};
var str = (o, k) => typeof o[k] === "string" ? o[k] : fail(k, "must be a string");
var num = (o, k) => typeof o[k] === "number" && Number.isFinite(o[k]) ? o[k] : fail(k, "must be a finite number");
var int = (o, k) => Number.isSafeInteger(o[k]) && o[k] >= 0 ? o[k] : fail(k, "must be a non-negative integer");
var bool = (o, k) => typeof o[k] === "boolean" ? o[k] : fail(k, "must be a boolean");
var optNum = (o, k) => o[k] === void 0 ? void 0 : num(o, k);
var nullableNum = (o, k) => o[k] === null ? null : num(o, k);
var obj = (o, k) => isObj(o[k]) ? o[k] : fail(k, "must be a map");
function isObj(x) {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !ArrayBuffer.isView(x);
}
function turnId(o) {
  const t = o.turn;
  if (typeof t === "string" && t.length > 0 || Number.isSafeInteger(t) && t >= 0) return t;
  return fail("turn", "must be a non-empty string or a non-negative integer");
}
function visemeTuples(o) {
  const list = o.frames;
  if (!Array.isArray(list)) return fail("frames", "must be a list");
  return list.map((f, i) => {
    if (!Array.isArray(f) || f.length !== 4 || !f.every((x) => typeof x === "number" && Number.isFinite(x))) return fail(`frames.${i}`, "must be [viseme, startMs, endMs, weight]");
    const [v, s, e, w] = f;
    if (!Number.isInteger(v) || v < 0 || v > 14) return fail(`frames.${i}`, "viseme must be 0..14");
    return [v, s, e, w];
  });
}
var parsers = {
  welcome: (o) => ({
    t: "welcome",
    v: o.v === 1 ? 1 : fail("v", "must be 1"),
    session: str(o, "session"),
    heartbeatMs: int(o, "heartbeatMs"),
    maxFrameBytes: int(o, "maxFrameBytes"),
    ...o.maxTurnsInFlight !== void 0 ? { maxTurnsInFlight: int(o, "maxTurnsInFlight") } : {},
    ...o.idleTimeoutMs !== void 0 ? { idleTimeoutMs: int(o, "idleTimeoutMs") } : {}
  }),
  text: (o) => ({ t: "text", turn: turnId(o), delta: str(o, "delta") }),
  emotion: (o) => ({ t: "emotion", turn: turnId(o), label: str(o, "label"), intensity: Math.min(1, Math.max(0, num(o, "intensity"))) }),
  audio: (o) => {
    const pcm = o.pcm;
    if (!ArrayBuffer.isView(pcm)) return fail("pcm", "must be binary");
    return {
      t: "audio",
      turn: turnId(o),
      seq: int(o, "seq"),
      rate: int(o, "rate"),
      pcm: new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength),
      startMs: num(o, "startMs"),
      ...o.durationMs !== void 0 ? { durationMs: num(o, "durationMs") } : {}
    };
  },
  visemes: (o) => ({ t: "visemes", turn: turnId(o), seq: int(o, "seq"), frames: visemeTuples(o) }),
  relationship: (o) => {
    const meters = (m) => ({ trust: num(m, "trust"), respect: num(m, "respect"), familiarity: num(m, "familiarity"), affinity: num(m, "affinity") });
    return { t: "relationship", turn: turnId(o), npc: str(o, "npc"), player: str(o, "player"), card: meters(obj(o, "card")), delta: meters(obj(o, "delta")), conversations: int(o, "conversations") };
  },
  end: (o) => {
    const t = obj(o, "timings");
    const tier = o.tier === null ? null : str(o, "tier");
    const reason = o.reason === void 0 ? void 0 : str(o, "reason");
    return {
      t: "end",
      turn: turnId(o),
      text: str(o, "text"),
      tier,
      degraded: bool(o, "degraded"),
      cancelled: bool(o, "cancelled"),
      ...reason !== void 0 ? { reason } : {},
      ...o.audioMs !== void 0 ? { audioMs: num(o, "audioMs") } : {},
      timings: { queueMs: nullableNum(t, "queueMs"), firstTextMs: nullableNum(t, "firstTextMs"), firstAudioMs: nullableNum(t, "firstAudioMs"), totalMs: num(t, "totalMs") }
    };
  },
  error: (o) => {
    const retryAfterMs = optNum(o, "retryAfterMs");
    return {
      t: "error",
      ...o.turn !== void 0 ? { turn: turnId(o) } : {},
      code: str(o, "code"),
      message: str(o, "message"),
      ...retryAfterMs !== void 0 ? { retryAfterMs } : {},
      fatal: bool(o, "fatal")
    };
  },
  pong: (o) => ({ t: "pong", ts: num(o, "ts") })
};
function parseServerFrame(value) {
  if (!isObj(value)) return { kind: "invalid", message: "a frame must be a msgpack map" };
  if (typeof value.t !== "string") return { kind: "invalid", message: "t: frame type is missing" };
  const parse = Object.prototype.hasOwnProperty.call(parsers, value.t) ? parsers[value.t] : void 0;
  if (!parse) return { kind: "ignored", type: value.t };
  try {
    return { kind: "frame", frame: parse(value) };
  } catch (err) {
    if (err instanceof FieldError) return { kind: "invalid", message: `${value.t}.${err.message}` };
    throw err;
  }
}

// Plugin/Parley/TypeScript/core/connection/backoff.ts
var DEFAULT_RECONNECT = { enabled: true, initialDelayMs: 500, maxDelayMs: 15e3, maxAttempts: 0 };
function reconnectDelayMs(attempt, policy, random) {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
  return step / 2 + random() * (step / 2);
}

// Plugin/Parley/TypeScript/core/connection/websocket-like.ts
var WS_OPEN = 1;
function socketFactory(Ctor) {
  return (url) => new Ctor(url);
}

// Plugin/Parley/TypeScript/core/connection/parley-connection.ts
var PROTOCOL_VERSION = 1;
var TERMINAL_CODES = /* @__PURE__ */ new Set(["unauthorized", "unsupported_version"]);
var ParleyConnection = class {
  constructor(opts) {
    __publicField(this, "opts", opts);
    __publicField(this, "ws", null);
    __publicField(this, "current", "disconnected");
    __publicField(this, "lastDetail", "");
    __publicField(this, "welcome", null);
    __publicField(this, "attempt", 0);
    __publicField(this, "retryTimer", null);
    __publicField(this, "connectTimer", null);
    __publicField(this, "heartbeatTimer", null);
    __publicField(this, "lastHeardAt", 0);
    __publicField(this, "nextTurnId", 1);
    __publicField(this, "live", /* @__PURE__ */ new Map());
    __publicField(this, "waiting", []);
    __publicField(this, "stopped", true);
    /** Set by a fatal gateway error just before it closes the link. */
    __publicField(this, "closing", null);
    __publicField(this, "token");
    __publicField(this, "stateListeners", /* @__PURE__ */ new Set());
    __publicField(this, "errorListeners", /* @__PURE__ */ new Set());
    __publicField(this, "policy");
    __publicField(this, "connectTimeoutMs");
    __publicField(this, "sayWaitMs");
    this.token = opts.token;
    this.policy = opts.reconnect ?? DEFAULT_RECONNECT;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 1e4;
    this.sayWaitMs = opts.sayWaitMs ?? this.connectTimeoutMs;
  }
  get state() {
    return this.current;
  }
  /** Why the connection is in its state (close code, error message), for logs and UI. */
  get detail() {
    return this.lastDetail;
  }
  get turnsInFlight() {
    return this.live.size;
  }
  onState(listener) {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
  /** Connection-level problems: gateway errors without a turn, bad frames, giving up. */
  onError(listener) {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }
  /** Starts connecting (idempotent). */
  start() {
    if (!this.stopped && this.current !== "failed" && this.current !== "disconnected") return;
    this.stopped = false;
    this.attempt = 0;
    this.dial("connecting");
  }
  /** Closes for good: turns in flight end with `connection_lost`, waiting says with `not_connected`. */
  stop(detail = "stopped by the game") {
    this.stopped = true;
    this.dropSocket(1e3, "client stopping");
    this.endLiveTurns(detail);
    this.failWaiting(detail);
    this.setState("disconnected", detail);
  }
  /** Uses a new token (e.g. after the player logged in) and reconnects with it. */
  setToken(token) {
    this.token = token;
    this.reconnectNow("token changed");
  }
  /** Drops the current link (if any) and dials again at once. */
  reconnectNow(detail = "reconnect requested") {
    this.stopped = false;
    this.dropSocket(1e3, detail);
    this.endLiveTurns(detail);
    this.attempt = 0;
    this.dial("connecting");
  }
  say(req, listener) {
    const id = this.nextTurnId++;
    const handle = { id, cancel: (heardMs) => this.cancel(id, heardMs) };
    if (this.current === "failed") {
      const message = `not connected to the Parley gateway (${this.lastDetail || "connection failed"})`;
      this.opts.host.timers.setTimeout(() => listener.onLocalEnd({ cancelled: false, error: localError("not_connected", message) }), 0);
      return handle;
    }
    const timer = this.opts.host.timers.setTimeout(() => this.expireWaiting(id), this.sayWaitMs);
    this.waiting.push({ id, req, listener, timer });
    if (this.current === "disconnected") this.start();
    else this.flushWaiting();
    return handle;
  }
  cancel(id, heardMs) {
    const i = this.waiting.findIndex((p) => p.id === id);
    if (i >= 0) {
      const [p] = this.waiting.splice(i, 1);
      this.opts.host.timers.clearTimeout(p.timer);
      p.listener.onLocalEnd({ cancelled: true, error: null });
      return;
    }
    const listener = this.live.get(id);
    if (!listener) return;
    const frame = { t: "cancel", turn: id, ...heardMs !== void 0 && Number.isFinite(heardMs) ? { heardMs: Math.max(0, heardMs) } : {} };
    if (!this.send(frame)) {
      this.live.delete(id);
      listener.onLocalEnd({ cancelled: true, error: null });
    }
  }
  expireWaiting(id) {
    const i = this.waiting.findIndex((p2) => p2.id === id);
    if (i < 0) return;
    const [p] = this.waiting.splice(i, 1);
    const why = this.current === "connected" ? "too many turns in flight" : this.lastDetail || this.current;
    p.listener.onLocalEnd({ cancelled: false, error: localError("not_connected", `the line was not sent: no connection to the Parley gateway within ${this.sayWaitMs} ms (${why})`) });
  }
  failWaiting(detail) {
    for (const p of this.waiting.splice(0)) {
      this.opts.host.timers.clearTimeout(p.timer);
      p.listener.onLocalEnd({ cancelled: false, error: localError("not_connected", `not connected to the Parley gateway (${detail})`) });
    }
  }
  flushWaiting() {
    if (this.current !== "connected") return;
    const max = this.welcome?.maxTurnsInFlight ?? Infinity;
    while (this.waiting.length > 0 && this.live.size < max) {
      const p = this.waiting.shift();
      this.opts.host.timers.clearTimeout(p.timer);
      const { npc, player, text, tier, voice } = p.req;
      this.live.set(p.id, p.listener);
      const sent = this.send({ t: "say", turn: p.id, npc, player, text, ...tier ? { tier } : {}, ...voice ? { voice } : {} });
      if (!sent) {
        this.live.delete(p.id);
        p.listener.onLocalEnd({ cancelled: false, error: localError("connection_lost", "the connection to the Parley gateway dropped before the line was sent") });
      }
    }
  }
  endLiveTurns(detail) {
    const lost = [...this.live.values()];
    this.live.clear();
    for (const l of lost) l.onLocalEnd({ cancelled: false, error: localError("connection_lost", `the connection to the Parley gateway was lost mid-reply (${detail})`) });
  }
  dial(state) {
    this.clearTimer("retryTimer");
    if (!/^wss?:\/\/[^/\s]+/i.test(this.opts.url)) {
      return this.giveUp(`the gateway URL "${this.opts.url}" is not a ws:// or wss:// URL (Project Settings > Plugins > Parley)`);
    }
    this.setState(state, this.lastDetail);
    let ws;
    try {
      ws = this.opts.createSocket(this.opts.url);
    } catch (err) {
      return this.onDrop(`cannot open ${this.opts.url}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.ws = ws;
    this.closing = null;
    try {
      ws.binaryType = "arraybuffer";
    } catch {
    }
    ws.addEventListener("open", () => {
      if (ws !== this.ws) return;
      this.send({ t: "hello", v: PROTOCOL_VERSION, token: this.token, ...this.opts.client ? { client: this.opts.client } : {} });
    });
    ws.addEventListener("message", (ev) => {
      if (ws === this.ws) this.onMessage(ev.data);
    });
    ws.addEventListener("close", (ev) => {
      if (ws !== this.ws) return;
      const c = this.closing;
      const detail = c?.detail ?? `connection closed (code ${ev.code ?? 1006}${ev.reason ? `: ${ev.reason}` : ""})`;
      this.onDrop(detail, c?.retryAfterMs ?? 0, c?.terminal ?? false);
    });
    ws.addEventListener("error", () => {
    });
    this.connectTimer = this.opts.host.timers.setTimeout(() => {
      if (ws === this.ws) this.onDrop(`no welcome from the gateway within ${this.connectTimeoutMs} ms`);
    }, this.connectTimeoutMs);
  }
  onMessage(data) {
    this.lastHeardAt = this.opts.host.now();
    const raw = decodeMessage(data);
    const parsed = raw.ok ? parseServerFrame(raw.value) : { kind: "invalid", message: raw.message };
    if (parsed.kind === "ignored") return;
    if (parsed.kind === "invalid") {
      this.emitError(localError("bad_server_frame", `ignored a malformed frame from the gateway: ${parsed.message}`));
      return;
    }
    const f = parsed.frame;
    switch (f.t) {
      case "welcome":
        return this.onWelcome(f);
      case "pong":
        return;
      case "error":
        return this.onErrorFrame(f);
      default: {
        const listener = this.live.get(f.turn);
        if (!listener) return;
        if (f.t === "end") this.onEnd(f);
        listener.onFrame(f);
        if (f.t === "end") this.flushWaiting();
      }
    }
  }
  onEnd(f) {
    this.live.delete(f.turn);
  }
  onWelcome(f) {
    this.welcome = f;
    this.attempt = 0;
    this.clearTimer("connectTimer");
    this.setState("connected", `session ${f.session}`);
    this.startHeartbeat(f.heartbeatMs);
    this.flushWaiting();
  }
  onErrorFrame(f) {
    const error = { code: f.code, message: f.message, fatal: f.fatal, local: false, ...f.retryAfterMs !== void 0 ? { retryAfterMs: f.retryAfterMs } : {} };
    const listener = f.turn !== void 0 ? this.live.get(f.turn) : void 0;
    if (listener) return listener.onFrame(f);
    if (f.fatal) this.closing = { terminal: TERMINAL_CODES.has(f.code), retryAfterMs: f.retryAfterMs ?? 0, detail: `${f.code}: ${f.message}` };
    this.emitError(error);
  }
  startHeartbeat(heartbeatMs) {
    this.clearTimer("heartbeatTimer");
    const every = Math.max(1e3, heartbeatMs || 15e3);
    const deadAfter = every * 2 + 1e3;
    this.lastHeardAt = this.opts.host.now();
    this.heartbeatTimer = this.opts.host.timers.setInterval(() => {
      if (this.opts.host.now() - this.lastHeardAt > deadAfter) return this.onDrop(`no answer from the gateway for ${deadAfter} ms`);
      this.send({ t: "ping", ts: this.opts.host.now() });
    }, every);
  }
  onDrop(detail, retryAfterMs = 0, terminal = false) {
    this.dropSocket(1e3, "reconnecting");
    this.endLiveTurns(detail);
    if (this.stopped) return;
    if (terminal) return this.giveUp(detail);
    if (!this.policy.enabled) {
      this.failWaiting(detail);
      return this.setState("disconnected", detail);
    }
    if (this.policy.maxAttempts > 0 && this.attempt >= this.policy.maxAttempts) return this.giveUp(`${detail}; gave up after ${this.attempt} reconnect attempts`);
    const delay = Math.max(retryAfterMs, reconnectDelayMs(this.attempt++, this.policy, this.opts.host.random));
    this.setState("reconnecting", detail);
    this.opts.host.log.warn(`lost the gateway (${detail}); reconnecting in ${Math.round(delay)} ms`);
    this.retryTimer = this.opts.host.timers.setTimeout(() => this.dial("reconnecting"), delay);
  }
  giveUp(detail) {
    this.dropSocket(1e3, "giving up");
    this.clearTimer("retryTimer");
    this.failWaiting(detail);
    this.setState("failed", detail);
    this.emitError(localError("connect_failed", detail, true));
  }
  dropSocket(code, reason) {
    this.clearTimer("connectTimer");
    this.clearTimer("heartbeatTimer");
    this.clearTimer("retryTimer");
    const ws = this.ws;
    this.ws = null;
    this.welcome = null;
    if (ws) {
      try {
        ws.close(code, reason);
      } catch {
      }
    }
  }
  /** Sends one frame; false when the link is not open or the host refused the write. */
  send(frame) {
    const ws = this.ws;
    if (!ws || ws.readyState !== WS_OPEN) return false;
    try {
      ws.send(encodeMessage(frame));
      return true;
    } catch {
      return false;
    }
  }
  clearTimer(which) {
    const h = this[which];
    if (h === null) return;
    if (which === "heartbeatTimer") this.opts.host.timers.clearInterval(h);
    else this.opts.host.timers.clearTimeout(h);
    this[which] = null;
  }
  setState(state, detail) {
    this.lastDetail = detail;
    if (state === this.current) return;
    this.current = state;
    for (const l of this.stateListeners) l(state, detail);
  }
  emitError(error) {
    if (this.errorListeners.size === 0) this.opts.host.log.warn(`${error.code}: ${error.message}`);
    for (const l of this.errorListeners) l(error);
  }
};

// Plugin/Parley/TypeScript/core/host.ts
function globalHost(log = consoleLogger()) {
  const g = globalThis;
  return {
    timers: {
      setTimeout: (fn, ms) => g.setTimeout(fn, ms),
      clearTimeout: (h) => g.clearTimeout(h),
      setInterval: (fn, ms) => g.setInterval(fn, ms),
      clearInterval: (h) => g.clearInterval(h)
    },
    now: () => Date.now(),
    random: Math.random,
    log
  };
}
function consoleLogger(prefix = "Parley: ") {
  return {
    info: (m) => console.log(prefix + m),
    warn: (m) => console.warn(prefix + m),
    error: (m) => console.error(prefix + m)
  };
}

// Plugin/Parley/TypeScript/core/audio/audio-sink.ts
function ownedBuffer(bytes) {
  const even = bytes.byteLength & ~1;
  if (bytes.byteOffset === 0 && even === bytes.buffer.byteLength) return bytes.buffer;
  return bytes.slice(0, even).buffer;
}

// Plugin/Parley/TypeScript/core/audio/jitter-buffer.ts
var AudioJitterBuffer = class {
  constructor(sink, prebufferMs = 120) {
    __publicField(this, "sink", sink);
    __publicField(this, "prebufferMs", prebufferMs);
    __publicField(this, "pending", /* @__PURE__ */ new Map());
    __publicField(this, "nextSeq", 0);
    __publicField(this, "rate", 0);
    __publicField(this, "releasedSamples", 0);
    __publicField(this, "receivedSamples", 0);
    __publicField(this, "finished", false);
    __publicField(this, "started", false);
    __publicField(this, "state", "idle");
    __publicField(this, "underruns", 0);
  }
  get sampleRate() {
    return this.rate;
  }
  /** Audio received so far, ms of the turn's timeline. */
  get receivedMs() {
    return this.rate ? this.receivedSamples / this.rate * 1e3 : 0;
  }
  get hasStarted() {
    return this.started;
  }
  push(chunk) {
    if (this.state === "stopped" || chunk.seq < this.nextSeq || this.pending.has(chunk.seq)) return;
    if (this.rate === 0) this.rate = chunk.rate;
    if (chunk.rate !== this.rate) return;
    this.pending.set(chunk.seq, chunk);
    this.receivedSamples += chunk.pcm.byteLength >> 1;
    if (this.state === "idle") this.state = "buffering";
  }
  /** No more chunks will come. */
  finish() {
    this.finished = true;
  }
  /** Moves ready audio to the sink; call once per frame. */
  pump() {
    if (this.state === "stopped" || this.state === "idle") return;
    if (this.state === "buffering") {
      const ready = this.contiguousPendingMs();
      if ((ready === 0 || this.queuedAheadMs() + ready < this.prebufferMs) && !this.finished) return;
      if (!this.started) {
        this.sink.begin(this.rate);
        this.started = true;
      }
      this.state = "playing";
    }
    this.release();
    if (!this.finished && this.queuedAheadMs() <= 0 && this.pending.size === 0) {
      this.state = "buffering";
      this.underruns++;
    }
  }
  /** Playback position on the turn's timeline (ms), from the device's sample count. */
  positionMs() {
    if (!this.started || this.rate === 0) return 0;
    return Math.min(this.sink.samplesPlayed(), this.releasedSamples) / this.rate * 1e3;
  }
  /** Everything received was played (or playback was stopped). */
  get drained() {
    if (this.state === "stopped") return true;
    if (!this.finished) return false;
    if (this.pending.size > 0) return false;
    return !this.started || this.sink.samplesPlayed() >= this.releasedSamples;
  }
  stop() {
    if (this.state === "stopped") return;
    if (this.started) this.sink.stop();
    this.state = "stopped";
    this.pending.clear();
  }
  queuedAheadMs() {
    if (!this.started) return 0;
    return (this.releasedSamples - this.sink.samplesPlayed()) / this.rate * 1e3;
  }
  contiguousPendingMs() {
    let samples = 0;
    for (let s = this.nextSeq; this.pending.has(s); s++) samples += this.pending.get(s).pcm.byteLength >> 1;
    return this.rate ? samples / this.rate * 1e3 : 0;
  }
  release() {
    for (; ; ) {
      let chunk = this.pending.get(this.nextSeq);
      if (!chunk && this.finished && this.pending.size > 0) {
        this.nextSeq = Math.min(...this.pending.keys());
        chunk = this.pending.get(this.nextSeq);
      }
      if (!chunk) return;
      this.pending.delete(this.nextSeq++);
      const startSample = Math.round(chunk.startMs / 1e3 * this.rate);
      const gap = startSample - this.releasedSamples;
      if (gap > 1) {
        this.sink.queue(new ArrayBuffer(gap * 2));
        this.releasedSamples += gap;
      }
      const buffer = ownedBuffer(chunk.pcm);
      if (buffer.byteLength === 0) continue;
      this.sink.queue(buffer);
      this.releasedSamples += buffer.byteLength >> 1;
    }
  }
};

// Plugin/Parley/TypeScript/core/lipsync/ovr-visemes.ts
var OVR_VISEMES = ["sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "ih", "oh", "ou"];
var VISEME_COUNT = OVR_VISEMES.length;

// Plugin/Parley/TypeScript/core/lipsync/viseme-track.ts
var VisemeTrack = class {
  constructor() {
    __publicField(this, "frames", []);
  }
  add(frames) {
    for (const f of frames) {
      const last = this.frames[this.frames.length - 1];
      this.frames.push(f);
      if (last && f[1] < last[1]) this.frames.sort((a, b) => a[1] - b[1]);
    }
  }
  clear() {
    this.frames = [];
  }
  get length() {
    return this.frames.length;
  }
  get endMs() {
    return this.frames.length ? this.frames[this.frames.length - 1][2] : 0;
  }
  /** Fills `out` (15 OVR weights, 0..1) for the audio position `ms`. */
  sample(ms, blendMs, out = new Float32Array(VISEME_COUNT)) {
    out.fill(0);
    const h = Math.max(0, blendMs) / 2;
    for (let i = this.firstEndingAfter(ms, h); i < this.frames.length; i++) {
      const [v, start, end, weight] = this.frames[i];
      if (start - h > ms) break;
      let env;
      if (h === 0) env = ms >= start && ms < end ? 1 : 0;
      else env = Math.max(0, Math.min(1, (ms - (start - h)) / (2 * h), (end + h - ms) / (2 * h)));
      const w = env * weight;
      if (w > out[v]) out[v] = w;
    }
    return out;
  }
  /** Index of the first frame whose (extended) end lies after `ms` (binary search; frames are ordered). */
  firstEndingAfter(ms, h) {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if (this.frames[mid][2] + h <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
};

// Plugin/Parley/TypeScript/core/dialogue/subtitle-track.ts
var SubtitleTrack = class {
  constructor(followAudio) {
    __publicField(this, "followAudio", followAudio);
    __publicField(this, "cues", []);
    __publicField(this, "shown", "");
    __publicField(this, "all", "");
  }
  /** Everything shown so far. */
  get text() {
    return this.shown;
  }
  /** Everything received so far. */
  get received() {
    return this.all;
  }
  /** Adds a text delta that belongs to the audio from `atAudioMs` on. Returns it if it shows at once. */
  push(delta, atAudioMs) {
    this.all += delta;
    if (!this.followAudio) {
      this.shown += delta;
      return delta;
    }
    this.cues.push({ atMs: atAudioMs, delta });
    return null;
  }
  /** Deltas due at playback position `ms` (all of them when `flush`). */
  reveal(ms, flush = false) {
    const due = [];
    while (this.cues.length > 0 && (flush || this.cues[0].atMs <= ms)) {
      const cue = this.cues.shift();
      this.shown += cue.delta;
      due.push(cue.delta);
    }
    return due;
  }
};

// Plugin/Parley/TypeScript/core/dialogue/npc-dialogue.ts
var MAX_LINE_CHARS = 2e3;
var ReplyTurn = class {
  constructor(line, sentAt, sink, config) {
    __publicField(this, "line", line);
    __publicField(this, "sentAt", sentAt);
    __publicField(this, "handle", null);
    __publicField(this, "end", null);
    __publicField(this, "localEnd", null);
    __publicField(this, "error", null);
    __publicField(this, "firstAudioAt", null);
    __publicField(this, "playbackAt", null);
    __publicField(this, "interrupted", false);
    __publicField(this, "visemes", new VisemeTrack());
    __publicField(this, "subtitles");
    __publicField(this, "jitter");
    this.jitter = new AudioJitterBuffer(sink, config.prebufferMs);
    this.subtitles = new SubtitleTrack(config.followAudioSubtitles);
  }
  get id() {
    return String(this.handle?.id ?? "");
  }
  get ended() {
    return this.end !== null || this.localEnd !== null;
  }
};
var NpcDialogue = class {
  constructor(starter, sink, config, host) {
    __publicField(this, "starter", starter);
    __publicField(this, "sink", sink);
    __publicField(this, "config", config);
    __publicField(this, "host", host);
    __publicField(this, "current", null);
    __publicField(this, "interrupted", /* @__PURE__ */ new Set());
    __publicField(this, "listeners", /* @__PURE__ */ new Set());
    __publicField(this, "speakingNow", false);
    __publicField(this, "disposed", false);
    /** Viseme weights of the current reply at its playback position (for LipSync). */
    __publicField(this, "visemeSource", (blendMs, latencyMs, out) => {
      const t = this.current;
      if (!t || !t.jitter.hasStarted || t.jitter.state === "stopped") return false;
      t.visemes.sample(t.jitter.positionMs() - latencyMs, blendMs, out);
      return true;
    });
  }
  addListener(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  get speaking() {
    return this.speakingNow;
  }
  get busy() {
    return this.current !== null;
  }
  /** Playback position of the current reply, ms (0 when silent). */
  get positionMs() {
    return this.current?.jitter.positionMs() ?? 0;
  }
  /** Says a line to the NPC; an unfinished reply is cut off first (barge-in). Returns the turn id. */
  say(text) {
    if (this.disposed) return null;
    const line = text.trim();
    if (!line || line.length > MAX_LINE_CHARS) {
      this.emit("error", localError("bad_input", line ? `the line has ${line.length} characters; the limit is ${MAX_LINE_CHARS}` : "the line is empty"));
      return null;
    }
    if (this.current) this.interrupt(this.current);
    const turn = new ReplyTurn(line, this.host.now(), this.sink, this.config);
    this.current = turn;
    const { npc, player, tier, voice } = this.config;
    turn.handle = this.starter.say({ npc, player, text: line, ...tier ? { tier } : {}, ...voice ? { voice } : {} }, this.turnListener(turn));
    this.emit("turnStarted", turn.id, line);
    return turn.id;
  }
  /** Stops the reply now: audio stops, the mouth closes, the gateway is told how much was heard. */
  cancel() {
    if (!this.current) return false;
    this.interrupt(this.current);
    return true;
  }
  /** Once per frame: feeds audio, reveals subtitles, ends finished turns. */
  tick() {
    for (const t2 of this.interrupted) if (t2.ended) this.finish(t2);
    const t = this.current;
    if (!t) return;
    t.jitter.pump();
    if (t.jitter.hasStarted && t.playbackAt === null) {
      t.playbackAt = this.host.now();
      this.setSpeaking(true);
    }
    this.showSubtitles(t, t.subtitles.reveal(t.jitter.positionMs()));
    if (t.ended && t.jitter.drained) this.finish(t);
  }
  /** Ends everything (the component is going away). */
  dispose() {
    if (this.current) this.interrupt(this.current);
    this.disposed = true;
  }
  interrupt(t) {
    t.interrupted = true;
    const heardMs = t.jitter.positionMs();
    t.jitter.stop();
    this.current = null;
    this.setSpeaking(false);
    if (t.ended) this.finish(t);
    else {
      this.interrupted.add(t);
      t.handle?.cancel(heardMs);
    }
  }
  turnListener(t) {
    return {
      onFrame: (f) => this.onFrame(t, f),
      onLocalEnd: (end) => {
        t.localEnd = end;
        t.jitter.finish();
        if (end.error) {
          t.error = end.error;
          this.emit("error", end.error);
        }
        if (t.interrupted || t !== this.current) this.finish(t);
      }
    };
  }
  onFrame(t, f) {
    const live = t === this.current && !t.interrupted;
    switch (f.t) {
      case "emotion":
        if (live) this.emit("emotion", f.label, f.intensity);
        return;
      case "text": {
        const shown = t.subtitles.push(f.delta, t.jitter.receivedMs);
        if (shown !== null && live) this.emit("subtitle", t.subtitles.text, shown);
        return;
      }
      case "visemes":
        t.visemes.add(f.frames);
        return;
      case "audio":
        if (!live) return;
        t.firstAudioAt ?? (t.firstAudioAt = this.host.now());
        t.jitter.push({ seq: f.seq, startMs: f.startMs, rate: f.rate, pcm: f.pcm });
        return;
      case "relationship":
        this.emit("relationship", f);
        return;
      case "error": {
        const error = { code: f.code, message: f.message, fatal: f.fatal, local: false, ...f.retryAfterMs !== void 0 ? { retryAfterMs: f.retryAfterMs } : {} };
        t.error = error;
        this.emit("error", error);
        return;
      }
      case "end":
        t.end = f;
        t.jitter.finish();
        if (!live) this.finish(t);
        return;
    }
  }
  showSubtitles(t, deltas) {
    if (deltas.length === 0) return;
    this.emit("subtitle", t.subtitles.text, deltas.join(""));
  }
  finish(t) {
    if (t === this.current) {
      this.showSubtitles(t, t.subtitles.reveal(0, true));
      this.current = null;
      this.setSpeaking(false);
    }
    this.interrupted.delete(t);
    const end = t.end;
    const now = this.host.now();
    const since = (at) => at === null ? null : at - t.sentAt;
    const reason = end ? end.reason ?? (end.cancelled ? "cancelled" : "completed") : t.localEnd?.cancelled ? "cancelled" : "failed";
    this.emit("turnEnded", {
      turnId: t.id,
      text: end?.text ?? t.subtitles.received,
      reason,
      tier: end?.tier ?? null,
      degraded: end?.degraded ?? false,
      audioMs: end?.audioMs ?? t.jitter.receivedMs,
      error: t.error,
      latency: {
        queueMs: end?.timings.queueMs ?? null,
        firstTextMs: end?.timings.firstTextMs ?? null,
        firstAudioMs: end?.timings.firstAudioMs ?? null,
        serverTotalMs: end?.timings.totalMs ?? null,
        clientFirstAudioMs: since(t.firstAudioAt),
        playbackStartMs: since(t.playbackAt),
        totalMs: now - t.sentAt
      }
    });
  }
  setSpeaking(on) {
    if (on === this.speakingNow) return;
    this.speakingNow = on;
    this.emit("speaking", on);
  }
  emit(event, ...args) {
    for (const l of this.listeners) {
      const fn = l[event];
      try {
        fn?.apply(l, args);
      } catch (err) {
        this.host.log.error(`a ${event} handler failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    }
  }
};

// Plugin/Parley/TypeScript/adapters/runtime-context.ts
function connectionStateEnum(ue2, state) {
  const S = ue2.EParleyConnectionState;
  switch (state) {
    case "connecting":
      return S.Connecting;
    case "connected":
      return S.Connected;
    case "reconnecting":
      return S.Reconnecting;
    case "failed":
      return S.Failed;
    default:
      return S.Disconnected;
  }
}
function ownerName(c) {
  const owner = c.GetOwner();
  return owner ? owner.GetName() : c.GetName();
}

// Plugin/Parley/TypeScript/adapters/plugin-settings.ts
var clamp = (x, lo, hi, fallback) => typeof x === "number" && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
function tierOf(ue2, tier) {
  switch (tier) {
    case ue2.EParleyTier.Gold:
      return "gold";
    case ue2.EParleyTier.Silver:
      return "silver";
    case ue2.EParleyTier.Bronze:
      return "bronze";
    default:
      return void 0;
  }
}
function readSettings(ue2, s) {
  return {
    url: (s?.GatewayUrl || "ws://127.0.0.1:8787/v1/ws").trim(),
    token: (s?.AccessToken ?? "").trim(),
    defaultTier: tierOf(ue2, s?.DefaultTier),
    defaultPlayerId: (s?.DefaultPlayerId || "player").trim(),
    connectOnStart: s?.bConnectOnStart ?? true,
    connectTimeoutMs: clamp(s?.ConnectTimeoutSeconds, 1, 120, 10) * 1e3,
    reconnect: {
      enabled: s?.bAutoReconnect ?? true,
      initialDelayMs: clamp(s?.ReconnectInitialDelaySeconds, 0.05, 60, 0.5) * 1e3,
      maxDelayMs: clamp(s?.ReconnectMaxDelaySeconds, 0.1, 600, 15) * 1e3,
      maxAttempts: Math.round(clamp(s?.MaxReconnectAttempts, 0, 1e6, 0))
    },
    prebufferMs: clamp(s?.AudioPrebufferMs, 0, 2e3, 120),
    verbose: s?.bVerboseLogging ?? false
  };
}

// Plugin/Parley/TypeScript/adapters/ue-audio-sink.ts
var UeAudioSink = class {
  constructor(ue2, component) {
    __publicField(this, "ue", ue2);
    __publicField(this, "component", component);
    __publicField(this, "sound", null);
    __publicField(this, "rate", 0);
  }
  begin(rate) {
    const audio = this.component.GetVoiceAudio();
    if (!this.sound || this.rate !== rate) {
      this.sound = this.ue.ParleyProceduralSound.CreateParleySound(this.component, rate);
      this.rate = rate;
    } else this.sound.ResetPlayback();
    audio.SetSound(this.sound);
    audio.Play(0);
  }
  queue(pcm) {
    this.sound?.QueuePcm16(pcm);
  }
  stop() {
    this.component.GetVoiceAudio().Stop();
    this.sound?.ResetPlayback();
  }
  samplesPlayed() {
    return this.sound?.GetSamplesPlayed() ?? 0;
  }
};

// Plugin/Parley/TypeScript/adapters/dialogue-manager-binding.ts
var DialogueBinding = class {
  constructor(component, ctx) {
    __publicField(this, "component", component);
    __publicField(this, "ctx", ctx);
    __publicField(this, "dialogue");
    __publicField(this, "unsubscribe");
    /** Set once the component ended play; bindings that cached this one look again. */
    __publicField(this, "disposed", false);
    const c = component;
    const s = ctx.settings;
    const npc = (c.NpcId ?? "").trim();
    if (!npc) ctx.host.log.warn(`DialogueManager on ${ownerName(c)} has no NPC Id; Say() will be refused by the gateway (set NPC Id to a catalog id such as "innkeeper")`);
    const voice = (c.VoiceOverride ?? "").trim();
    const tier = tierOf(ctx.ue, c.TierOverride) ?? s.defaultTier;
    this.dialogue = new NpcDialogue(
      ctx.connection,
      new UeAudioSink(ctx.ue, c),
      {
        npc,
        player: (c.PlayerId ?? "").trim() || s.defaultPlayerId,
        ...tier ? { tier } : {},
        ...voice ? { voice } : {},
        followAudioSubtitles: c.bSyncSubtitlesToAudio ?? true,
        prebufferMs: s.prebufferMs
      },
      ctx.host
    );
    this.dialogue.addListener({
      turnStarted: (turnId2) => c.HandleTurnStarted(turnId2),
      subtitle: (text, delta) => c.HandleSubtitle(text, delta),
      emotion: (label, intensity) => c.HandleEmotion(label, intensity),
      relationship: (f) => this.onRelationship(f),
      error: (e) => this.onError(e),
      speaking: (on) => c.HandleSpeaking(on),
      turnEnded: (r) => {
        if (s.verbose) ctx.host.log.info(`turn ${r.turnId} on ${ownerName(c)}: ${r.reason}${r.error ? ` (${r.error.code})` : ""}; queue ${r.latency.queueMs ?? "-"} ms, first audio ${r.latency.clientFirstAudioMs ?? "-"} ms, playback ${r.latency.playbackStartMs ?? "-"} ms, total ${r.latency.totalMs} ms`);
        c.HandleTurnEnded(this.toResult(r));
      }
    });
    this.unsubscribe = ctx.connection.onState((state) => c.HandleConnectionState(connectionStateEnum(ctx.ue, state)));
    c.HandleConnectionState(connectionStateEnum(ctx.ue, ctx.connection.state));
  }
  say(text) {
    this.dialogue.say(text);
  }
  cancel() {
    this.dialogue.cancel();
  }
  tick() {
    this.dialogue.tick();
  }
  /** Connection-level errors (bad token, gateway gone for good) are shown on every NPC. */
  onError(e) {
    this.component.HandleError(e.code, e.message, e.fatal);
  }
  dispose() {
    this.disposed = true;
    this.dialogue.dispose();
    this.unsubscribe();
  }
  onRelationship(f) {
    const R = this.ctx.ue.ParleyRelationship;
    const card = new R(f.card.trust, f.card.respect, f.card.familiarity, f.card.affinity);
    const change = new R(f.delta.trust, f.delta.respect, f.delta.familiarity, f.delta.affinity);
    this.component.HandleRelationship(card, change, f.conversations);
  }
  toResult(r) {
    const { ue: ue2 } = this.ctx;
    const ms = (x) => x === null ? -1 : Math.round(x * 10) / 10;
    const l = r.latency;
    const latency = new ue2.ParleyTurnLatency(ms(l.queueMs), ms(l.firstTextMs), ms(l.firstAudioMs), ms(l.serverTotalMs), ms(l.clientFirstAudioMs), ms(l.playbackStartMs), ms(l.totalMs));
    const reasons = { completed: ue2.EParleyTurnEndReason.Completed, cancelled: ue2.EParleyTurnEndReason.Cancelled, failed: ue2.EParleyTurnEndReason.Failed, rejected: ue2.EParleyTurnEndReason.Rejected };
    return new ue2.ParleyTurnResult(r.turnId, r.text, reasons[r.reason], r.tier ?? "", r.degraded, r.audioMs, r.error?.code ?? "", r.error?.message ?? "", latency);
  }
};

// Plugin/Parley/TypeScript/core/expression/blinker.ts
var DEFAULT_BLINK = { enabled: true, minIntervalSeconds: 2.5, maxIntervalSeconds: 6, durationSeconds: 0.18 };
var CLOSING = 0.4;
var Blinker = class {
  constructor(settings, random) {
    __publicField(this, "settings", settings);
    __publicField(this, "random", random);
    __publicField(this, "untilNext");
    __publicField(this, "inBlink", -1);
    // seconds into the current blink, -1 when none
    __publicField(this, "blinks", 0);
    this.untilNext = this.interval();
  }
  /** Advances by `dtSeconds`; returns the eyelid closure 0..1. */
  update(dtSeconds) {
    const s = this.settings;
    if (!s.enabled) return 0;
    if (this.inBlink < 0) {
      this.untilNext -= dtSeconds;
      if (this.untilNext > 0) return 0;
      this.inBlink = -this.untilNext;
      this.blinks++;
    } else this.inBlink += dtSeconds;
    const d = Math.max(0.02, s.durationSeconds);
    const t = this.inBlink;
    if (t >= d) {
      this.inBlink = -1;
      this.untilNext = this.interval();
      return 0;
    }
    return t < d * CLOSING ? t / (d * CLOSING) : 1 - (t - d * CLOSING) / (d * (1 - CLOSING));
  }
  interval() {
    const { minIntervalSeconds: lo, maxIntervalSeconds: hi } = this.settings;
    return Math.max(0.1, lo + this.random() * Math.max(0, hi - lo));
  }
};
var BLINK_TARGETS = ["eyeBlinkLeft", "eyeBlinkRight"];

// Plugin/Parley/TypeScript/core/expression/emotion-presets.ts
var both = (side, w) => ({ [`${side}Left`]: w, [`${side}Right`]: w });
var EMOTION_PRESETS = {
  neutral: {},
  joy: { ...both("mouthSmile", 0.7), ...both("cheekSquint", 0.5), ...both("eyeSquint", 0.3) },
  amusement: { ...both("mouthSmile", 0.55), ...both("cheekSquint", 0.35), ...both("eyeSquint", 0.25), browInnerUp: 0.1 },
  trust: { ...both("mouthSmile", 0.3), browInnerUp: 0.15 },
  interest: { ...both("browOuterUp", 0.35), browInnerUp: 0.2, ...both("eyeWide", 0.15) },
  anticipation: { ...both("browOuterUp", 0.3), ...both("eyeWide", 0.25), ...both("mouthPress", 0.2) },
  surprise: { browInnerUp: 0.7, ...both("browOuterUp", 0.8), ...both("eyeWide", 0.8), jawOpen: 0.2 },
  fear: { browInnerUp: 0.8, ...both("browOuterUp", 0.4), ...both("eyeWide", 0.7), ...both("mouthStretch", 0.4) },
  sadness: { browInnerUp: 0.6, ...both("mouthFrown", 0.6), mouthShrugLower: 0.2, ...both("eyeLookDown", 0.2) },
  anger: { ...both("browDown", 0.8), ...both("noseSneer", 0.4), ...both("mouthPress", 0.4), ...both("eyeSquint", 0.3), jawForward: 0.1 },
  disgust: { ...both("noseSneer", 0.7), ...both("mouthUpperUp", 0.5), ...both("browDown", 0.3), ...both("cheekSquint", 0.3) },
  contempt: { mouthSmileLeft: 0.35, mouthDimpleLeft: 0.3, noseSneerLeft: 0.2, browDownRight: 0.1 }
};
function normalizeEmotion(label, presets) {
  const key = label.trim().toLowerCase();
  return presets.has(key) ? key : "neutral";
}
function defaultEmotionPresets() {
  return new Map(Object.entries(EMOTION_PRESETS));
}

// Plugin/Parley/TypeScript/core/face/face-pose.ts
function addPose(out, pose, scale) {
  if (scale <= 0) return;
  for (const name in pose) out.set(name, (out.get(name) ?? 0) + pose[name] * scale);
}

// Plugin/Parley/TypeScript/core/expression/expression-blender.ts
var DEFAULT_EXPRESSION = { strength: 1, blendSeconds: 0.35, holdSeconds: 1.5, decaySeconds: 2 };
var ExpressionBlender = class {
  constructor(settings) {
    __publicField(this, "settings", settings);
    __publicField(this, "weights", /* @__PURE__ */ new Map());
    __publicField(this, "targets", /* @__PURE__ */ new Map());
    /** Seconds left before decaying to neutral; Infinity while the emotion should stay. */
    __publicField(this, "holdLeft", Infinity);
    __publicField(this, "decaying", false);
    __publicField(this, "out", /* @__PURE__ */ new Map());
    __publicField(this, "emotion", "neutral");
    __publicField(this, "intensity", 0);
  }
  /** Shows `label` at `intensity` (0..1) until `relax()` or another emotion. Returns the label used. */
  setEmotion(label, intensity) {
    const key = normalizeEmotion(label, this.settings.presets);
    this.emotion = key;
    this.intensity = Math.max(0, Math.min(1, intensity));
    for (const k of this.targets.keys()) this.targets.set(k, 0);
    this.targets.set(key, this.intensity);
    this.holdLeft = Infinity;
    this.decaying = false;
    return key;
  }
  /** The NPC finished speaking: hold, then decay to neutral. */
  relax() {
    if (this.holdLeft === Infinity) this.holdLeft = this.settings.holdSeconds;
  }
  /** Current weight of one emotion, 0..1 (for tests and debugging). */
  weightOf(label) {
    return this.weights.get(label) ?? 0;
  }
  update(dtSeconds) {
    const dt = Math.max(0, dtSeconds);
    if (this.holdLeft !== Infinity) {
      this.holdLeft -= dt;
      if (this.holdLeft <= 0 && !this.decaying) {
        this.decaying = true;
        for (const k of this.targets.keys()) this.targets.set(k, 0);
        this.emotion = "neutral";
        this.intensity = 0;
      }
    }
    const s = this.settings;
    for (const [label, target2] of this.targets) {
      const w = this.weights.get(label) ?? 0;
      const rampSeconds = target2 < w && this.decaying ? s.decaySeconds : s.blendSeconds;
      const step = rampSeconds > 0 ? dt / rampSeconds : 1;
      const next = target2 > w ? Math.min(target2, w + step) : Math.max(target2, w - step);
      if (next <= 0 && target2 <= 0) {
        this.weights.delete(label);
        this.targets.delete(label);
      } else this.weights.set(label, next);
    }
    this.out.clear();
    for (const [label, w] of this.weights) {
      const pose = s.presets.get(label);
      if (pose) addPose(this.out, pose, w * s.strength);
    }
    return this.out;
  }
};

// Plugin/Parley/TypeScript/adapters/ue-containers.ts
function arrayItems(a) {
  if (!a) return [];
  const out = [];
  for (let i = 0, n = a.Num(); i < n; i++) out.push(a.Get(i));
  return out;
}
function mapEntries(m) {
  if (!m) return [];
  const out = [];
  for (let i = 0, n = m.GetMaxIndex(); i < n; i++) {
    if (!m.IsValidIndex(i)) continue;
    const key = m.GetKey(i);
    const value = m.Get(key);
    if (value !== void 0) out.push([key, value]);
  }
  return out;
}

// Plugin/Parley/TypeScript/adapters/face-pose-reader.ts
function readPose(pose) {
  const out = {};
  for (const [name, weight] of mapEntries(pose?.Curves)) if (name && Number.isFinite(weight)) out[name] = Math.max(0, Math.min(1, weight));
  return out;
}
function readVisemeMapping(asset) {
  if (!asset) return null;
  const poses = Array.from({ length: VISEME_COUNT }, () => ({}));
  let any = false;
  for (const [viseme, pose] of mapEntries(asset.Visemes)) {
    if (!(viseme >= 0 && viseme < VISEME_COUNT)) continue;
    const p = readPose(pose);
    poses[viseme] = p;
    if (Object.keys(p).length > 0) any = true;
  }
  return any ? poses : null;
}
function readEmotionPresets(map) {
  const entries = mapEntries(map);
  if (entries.length === 0) return null;
  const out = /* @__PURE__ */ new Map([["neutral", {}]]);
  for (const [label, pose] of entries) out.set(label.trim().toLowerCase(), readPose(pose));
  return out;
}

// Plugin/Parley/TypeScript/adapters/ue-face-output.ts
var MorphTargetOutput = class {
  constructor(mesh) {
    __publicField(this, "mesh", mesh);
    __publicField(this, "names", null);
  }
  available() {
    if (!this.names) {
      const asset = this.mesh.GetSkeletalMeshAsset();
      this.names = new Set(asset ? arrayItems(asset.K2_GetAllMorphTargetNames()) : []);
    }
    return this.names;
  }
  set(name, value) {
    this.mesh.SetMorphTarget(name, value, true);
  }
  describe() {
    const owner = this.mesh.GetOwner();
    return `skeletal mesh "${this.mesh.GetName()}"${owner ? ` on ${owner.GetName()}` : ""}`;
  }
};
var AnimCurveOutput = class {
  constructor(holder) {
    __publicField(this, "holder", holder);
  }
  available() {
    return null;
  }
  set(name, value) {
    this.holder.SetFaceCurve(name, value);
  }
  describe() {
    const owner = this.holder.GetOwner();
    return `face curves of "${this.holder.GetName()}"${owner ? ` on ${owner.GetName()}` : ""}`;
  }
};

// Plugin/Parley/TypeScript/adapters/expression-binding.ts
var EMPTY = /* @__PURE__ */ new Map();
var num2 = (x, lo, hi, fallback) => typeof x === "number" && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
var ExpressionBinding = class {
  constructor(component, ctx) {
    __publicField(this, "component", component);
    __publicField(this, "ctx", ctx);
    __publicField(this, "blender");
    __publicField(this, "blinker");
    __publicField(this, "mesh");
    __publicField(this, "kind");
    __publicField(this, "mixer", null);
    __publicField(this, "blink", /* @__PURE__ */ new Map());
    __publicField(this, "followed", null);
    __publicField(this, "unfollow", null);
    const c = component;
    const presets = readEmotionPresets(c.EmotionPresets) ?? defaultEmotionPresets();
    this.blender = new ExpressionBlender({
      presets,
      strength: num2(c.Strength, 0, 2, DEFAULT_EXPRESSION.strength),
      blendSeconds: num2(c.BlendTime, 0, 10, DEFAULT_EXPRESSION.blendSeconds),
      holdSeconds: num2(c.HoldTime, 0, 60, DEFAULT_EXPRESSION.holdSeconds),
      decaySeconds: num2(c.DecayTime, 0, 30, DEFAULT_EXPRESSION.decaySeconds)
    });
    const lo = num2(c.BlinkIntervalMin, 0.2, 30, DEFAULT_BLINK.minIntervalSeconds);
    this.blinker = new Blinker(
      { enabled: c.bAutoBlink ?? true, minIntervalSeconds: lo, maxIntervalSeconds: Math.max(lo, num2(c.BlinkIntervalMax, 0.2, 60, DEFAULT_BLINK.maxIntervalSeconds)), durationSeconds: num2(c.BlinkDuration, 0.05, 1, DEFAULT_BLINK.durationSeconds) },
      ctx.host.random
    );
    this.kind = c.Output === ctx.ue.EParleyFaceOutput.AnimCurves ? "curves" : "morphs";
    this.mesh = c.GetTargetMesh() ?? null;
    if (!this.mesh) {
      ctx.host.log.warn(`Expression on ${ownerName(c)} found no skeletal mesh to drive; set Target Mesh`);
      return;
    }
    const mesh = this.mesh;
    this.mixer = ctx.faces.acquire(mesh, this.kind, c, () => this.kind === "curves" ? new AnimCurveOutput(c) : new MorphTargetOutput(mesh));
    this.mixer.mouthSuppression = num2(c.MouthSuppression, 0, 1, 0.7);
    const names = new Set(this.blinker.settings.enabled ? BLINK_TARGETS : []);
    for (const pose of presets.values()) for (const n in pose) names.add(n);
    this.mixer.declareTargets(names, `Expression on ${ownerName(c)}`);
    this.follow();
  }
  /** Blueprint SetEmotion: shows until the next emotion (SetEmotion("neutral", 0) clears it). */
  setEmotion(label, intensity) {
    const used = this.blender.setEmotion(label, intensity);
    this.component.HandleEmotionChanged(used, this.blender.intensity);
  }
  tick(dtSeconds) {
    this.follow();
    if (!this.mixer) return;
    const before = this.blender.emotion;
    this.mixer.setLayer("expression", this.blender.update(dtSeconds));
    if (this.blender.emotion !== before) this.component.HandleEmotionChanged(this.blender.emotion, this.blender.intensity);
    const closed = this.blinker.update(dtSeconds);
    for (const n of BLINK_TARGETS) this.blink.set(n, closed);
    this.mixer.setLayer("blink", this.blink);
    this.mixer.flush();
  }
  dispose() {
    this.unfollow?.();
    if (!this.mixer || !this.mesh) return;
    this.mixer.setLayer("expression", EMPTY);
    this.mixer.setLayer("blink", EMPTY);
    this.mixer.flush();
    this.ctx.faces.release(this.mesh, this.kind, this.component);
  }
  /** Listens to the actor's DialogueManager once it has begun play (components start in any order). */
  follow() {
    if (this.followed && !this.followed.disposed) return;
    const d = this.ctx.dialogueOn(this.component.GetOwner());
    if (d === this.followed || !d) return;
    this.unfollow?.();
    this.followed = d;
    if (d.dialogue.busy && d.component.Emotion) this.setEmotion(d.component.Emotion, d.component.EmotionIntensity);
    this.unfollow = d.dialogue.addListener({
      emotion: (label, intensity) => this.setEmotion(label, intensity),
      speaking: (on) => {
        if (!on) this.blender.relax();
      }
    });
  }
};

// Plugin/Parley/TypeScript/core/face/face-mixer.ts
var MOUTH = /^(mouth|jaw|viseme_|tongue|cheekPuff)/i;
var EPSILON = 1e-3;
var FaceMixer = class {
  constructor(output, log) {
    __publicField(this, "output", output);
    __publicField(this, "log", log);
    __publicField(this, "layers", { expression: /* @__PURE__ */ new Map(), blink: /* @__PURE__ */ new Map(), lips: /* @__PURE__ */ new Map() });
    __publicField(this, "written", /* @__PURE__ */ new Map());
    __publicField(this, "missing", /* @__PURE__ */ new Set());
    __publicField(this, "owners", /* @__PURE__ */ new Map());
    __publicField(this, "mouthSuppression", 0.7);
  }
  /** Names a component will drive; missing ones are reported now, once, naming who wanted them. */
  declareTargets(names, who) {
    for (const n of names) if (!this.owners.has(n)) this.owners.set(n, who);
    this.reportMissing([...names]);
  }
  setLayer(layer, values) {
    this.layers[layer] = values;
  }
  /** Writes the composed face; call after the layers were updated this frame. */
  flush() {
    const { expression, blink, lips } = this.layers;
    let lipActivity = 0;
    for (const v of lips.values()) if (v > lipActivity) lipActivity = v;
    const exprScale = 1 - Math.min(1, lipActivity) * this.mouthSuppression;
    const names = /* @__PURE__ */ new Set([...this.written.keys(), ...expression.keys(), ...blink.keys(), ...lips.keys()]);
    const have = this.output.available();
    const lacking = [];
    for (const name of names) {
      if (this.missing.has(name)) continue;
      const e = expression.get(name) ?? 0;
      const mouth = lips.has(name) || MOUTH.test(name);
      let value = mouth ? (lips.get(name) ?? 0) + e * exprScale : e + (blink.get(name) ?? 0);
      value = value < EPSILON ? 0 : value > 1 ? 1 : value;
      const before = this.written.get(name);
      if (before === void 0 ? value === 0 : value !== 0 && Math.abs(before - value) < EPSILON) continue;
      if (before === void 0 && have && !have.has(name)) {
        lacking.push(name);
        continue;
      }
      this.output.set(name, value);
      if (value === 0) this.written.delete(name);
      else this.written.set(name, value);
    }
    if (lacking.length) this.reportMissing(lacking);
  }
  /** Sets everything this mixer wrote back to 0 (e.g. when the component ends). */
  clear() {
    for (const name of this.written.keys()) this.output.set(name, 0);
    this.written.clear();
    for (const k of Object.keys(this.layers)) this.layers[k] = /* @__PURE__ */ new Map();
  }
  /** Names reported missing so far (for tests and the details panel). */
  get missingTargets() {
    return [...this.missing];
  }
  reportMissing(names) {
    const have = this.output.available();
    if (!have) return;
    const lacking = names.filter((n) => !have.has(n) && !this.missing.has(n));
    if (lacking.length === 0) return;
    for (const n of lacking) {
      this.missing.add(n);
      this.written.delete(n);
    }
    const byOwner = /* @__PURE__ */ new Map();
    for (const n of lacking) {
      const who = this.owners.get(n) ?? "Parley";
      byOwner.set(who, [...byOwner.get(who) ?? [], n]);
    }
    for (const [who, list] of byOwner) {
      this.log.warn(`${this.output.describe()} has no morph target named ${list.map((n) => `"${n}"`).join(", ")} (wanted by ${who}); those shapes will not show. Pick the mapping preset that matches the rig or use a custom mapping asset.`);
    }
  }
};

// Plugin/Parley/TypeScript/adapters/face-registry.ts
var FaceRegistry = class {
  constructor(log) {
    __publicField(this, "log", log);
    __publicField(this, "faces", /* @__PURE__ */ new Map());
  }
  acquire(face, kind, user, makeOutput) {
    let byKind = this.faces.get(face);
    if (!byKind) this.faces.set(face, byKind = /* @__PURE__ */ new Map());
    let entry = byKind.get(kind);
    if (!entry) byKind.set(kind, entry = { mixer: new FaceMixer(makeOutput(), this.log), users: /* @__PURE__ */ new Set() });
    entry.users.add(user);
    return entry.mixer;
  }
  release(face, kind, user) {
    const byKind = this.faces.get(face);
    const entry = byKind?.get(kind);
    if (!byKind || !entry) return;
    entry.users.delete(user);
    if (entry.users.size > 0) return;
    entry.mixer.clear();
    byKind.delete(kind);
    if (byKind.size === 0) this.faces.delete(face);
  }
};

// Plugin/Parley/TypeScript/core/lipsync/weight-smoother.ts
var WeightSmoother = class {
  constructor(channels) {
    __publicField(this, "value");
    this.value = new Float32Array(channels);
  }
  step(target2, dtSeconds, attackMs, releaseMs) {
    const dtMs = Math.max(0, dtSeconds * 1e3);
    const up = attackMs > 0 ? 1 - Math.exp(-dtMs / attackMs) : 1;
    const down = releaseMs > 0 ? 1 - Math.exp(-dtMs / releaseMs) : 1;
    for (let i = 0; i < this.value.length; i++) {
      const y = this.value[i];
      const t = target2[i] ?? 0;
      this.value[i] = y + (t - y) * (t > y ? up : down);
    }
    return this.value;
  }
  reset() {
    this.value.fill(0);
  }
};

// Plugin/Parley/TypeScript/core/lipsync/viseme-mapping.ts
var OVR_MORPH_NAMES = ["viseme_sil", "viseme_PP", "viseme_FF", "viseme_TH", "viseme_DD", "viseme_kk", "viseme_CH", "viseme_SS", "viseme_nn", "viseme_RR", "viseme_aa", "viseme_E", "viseme_I", "viseme_O", "viseme_U"];
var both2 = (side, w) => ({ [`${side}Left`]: w, [`${side}Right`]: w });
var ARKIT_VISEMES = [
  /* sil */
  {},
  /* PP  */
  { mouthClose: 0.35, ...both2("mouthPress", 0.5), mouthRollLower: 0.25, mouthRollUpper: 0.15, jawOpen: 0.05 },
  /* FF  */
  { mouthRollLower: 0.6, ...both2("mouthUpperUp", 0.25), jawOpen: 0.1 },
  /* TH  */
  { tongueOut: 0.35, jawOpen: 0.15, ...both2("mouthStretch", 0.1) },
  /* DD  */
  { jawOpen: 0.2, ...both2("mouthStretch", 0.15) },
  /* kk  */
  { jawOpen: 0.25, ...both2("mouthStretch", 0.2) },
  /* CH  */
  { mouthFunnel: 0.5, mouthPucker: 0.2, jawOpen: 0.15 },
  /* SS  */
  { jawOpen: 0.08, ...both2("mouthStretch", 0.35), ...both2("mouthSmile", 0.1) },
  /* nn  */
  { jawOpen: 0.15, mouthClose: 0.1, ...both2("mouthStretch", 0.1) },
  /* RR  */
  { mouthPucker: 0.4, mouthFunnel: 0.3, jawOpen: 0.15 },
  /* aa  */
  { jawOpen: 0.6, ...both2("mouthLowerDown", 0.3) },
  /* E   */
  { jawOpen: 0.35, ...both2("mouthStretch", 0.4), ...both2("mouthSmile", 0.1) },
  /* ih  */
  { jawOpen: 0.25, ...both2("mouthStretch", 0.3), ...both2("mouthSmile", 0.15) },
  /* oh  */
  { jawOpen: 0.4, mouthFunnel: 0.6, mouthPucker: 0.2 },
  /* ou  */
  { jawOpen: 0.15, mouthPucker: 0.8, mouthFunnel: 0.3 }
];
var VISEME_PRESETS = {
  ovr: OVR_MORPH_NAMES.map((name) => ({ [name]: 1 })),
  arkit: ARKIT_VISEMES,
  metahuman: ARKIT_VISEMES
};
function mapVisemes(weights, mapping, intensity, out = /* @__PURE__ */ new Map()) {
  out.clear();
  for (let v = 0; v < VISEME_COUNT; v++) {
    const w = (weights[v] ?? 0) * intensity;
    const pose = mapping[v];
    if (!pose) continue;
    for (const name in pose) out.set(name, (out.get(name) ?? 0) + w * pose[name]);
  }
  return out;
}
function mappingTargets(mapping) {
  const names = /* @__PURE__ */ new Set();
  for (const pose of mapping) for (const name in pose) names.add(name);
  return [...names];
}

// Plugin/Parley/TypeScript/core/lipsync/lip-sync-driver.ts
var DEFAULT_LIP_SYNC = { intensity: 1, attackMs: 40, releaseMs: 70, coarticulationMs: 60, latencyMs: 0 };
var LipSyncDriver = class {
  constructor(settings) {
    __publicField(this, "settings", settings);
    __publicField(this, "target", new Float32Array(VISEME_COUNT));
    __publicField(this, "smoother", new WeightSmoother(VISEME_COUNT));
    __publicField(this, "face", /* @__PURE__ */ new Map());
  }
  /** Current OVR viseme weights after smoothing (for debugging and tests). */
  get visemes() {
    return this.smoother.value;
  }
  /** One frame: returns the lip layer (face weights); all zero once speech stops. */
  update(dtSeconds, source) {
    const s = this.settings;
    if (!source || !source(s.coarticulationMs, s.latencyMs, this.target)) this.target.fill(0);
    const smoothed = this.smoother.step(this.target, dtSeconds, s.attackMs, s.releaseMs);
    return mapVisemes(smoothed, s.mapping, s.intensity, this.face);
  }
  reset() {
    this.smoother.reset();
    this.target.fill(0);
  }
};

// Plugin/Parley/TypeScript/adapters/lipsync-binding.ts
var EMPTY2 = /* @__PURE__ */ new Map();
var num3 = (x, lo, hi, fallback) => typeof x === "number" && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
var LipSyncBinding = class {
  constructor(component, ctx) {
    __publicField(this, "component", component);
    __publicField(this, "ctx", ctx);
    __publicField(this, "driver");
    __publicField(this, "mesh");
    __publicField(this, "kind");
    __publicField(this, "mixer", null);
    __publicField(this, "dialogue", null);
    const c = component;
    const { ue: ue2, host } = ctx;
    const mapping = this.resolveMapping();
    this.driver = new LipSyncDriver({
      mapping,
      intensity: num3(c.Intensity, 0, 2, DEFAULT_LIP_SYNC.intensity),
      attackMs: num3(c.AttackMs, 0, 500, DEFAULT_LIP_SYNC.attackMs),
      releaseMs: num3(c.ReleaseMs, 0, 1e3, DEFAULT_LIP_SYNC.releaseMs),
      coarticulationMs: num3(c.CoarticulationMs, 0, 300, DEFAULT_LIP_SYNC.coarticulationMs),
      latencyMs: num3(c.LatencyCompensationMs, -500, 500, DEFAULT_LIP_SYNC.latencyMs)
    });
    this.kind = c.MappingPreset === ue2.EParleyVisemePreset.MetaHumanArkit || c.Output === ue2.EParleyFaceOutput.AnimCurves ? "curves" : "morphs";
    this.mesh = c.GetTargetMesh() ?? null;
    if (!this.mesh) {
      host.log.warn(`LipSync on ${ownerName(c)} found no skeletal mesh to drive; set Target Mesh (MetaHuman: the "Face" component)`);
      return;
    }
    const mesh = this.mesh;
    this.mixer = ctx.faces.acquire(mesh, this.kind, c, () => this.kind === "curves" ? new AnimCurveOutput(c) : new MorphTargetOutput(mesh));
    this.mixer.declareTargets(mappingTargets(mapping), `LipSync on ${ownerName(c)}`);
  }
  tick(dtSeconds) {
    if (!this.mixer) return;
    if (!this.dialogue || this.dialogue.disposed) this.dialogue = this.ctx.dialogueOn(this.component.GetOwner()) ?? null;
    this.mixer.setLayer("lips", this.driver.update(dtSeconds, this.dialogue?.dialogue.visemeSource ?? null));
    this.mixer.flush();
  }
  dispose() {
    if (!this.mixer || !this.mesh) return;
    this.mixer.setLayer("lips", EMPTY2);
    this.mixer.flush();
    this.ctx.faces.release(this.mesh, this.kind, this.component);
  }
  resolveMapping() {
    const { ue: ue2, host } = this.ctx;
    const c = this.component;
    switch (c.MappingPreset) {
      case ue2.EParleyVisemePreset.ArkitMouth:
        return VISEME_PRESETS.arkit;
      case ue2.EParleyVisemePreset.MetaHumanArkit:
        return VISEME_PRESETS.metahuman;
      case ue2.EParleyVisemePreset.Custom: {
        const custom = readVisemeMapping(c.CustomMapping);
        if (custom) return custom;
        host.log.warn(`LipSync on ${ownerName(c)} uses a custom mapping but ${c.CustomMapping ? `"${c.CustomMapping.GetName()}" maps no viseme` : "no mapping asset is set"}; using the OVR viseme_* preset`);
        return VISEME_PRESETS.ovr;
      }
      default:
        return VISEME_PRESETS.ovr;
    }
  }
};

// Plugin/Parley/TypeScript/adapters/mixins.ts
var active = null;
function withRuntime(fn) {
  if (active) active.guard(fn);
}
var DialogueManagerMixin = class {
  ParleyBeginPlay() {
    withRuntime((rt) => rt.beginDialogue(this));
  }
  ParleyEndPlay() {
    withRuntime((rt) => rt.endDialogue(this));
  }
  ParleyTick(_deltaSeconds) {
    withRuntime((rt) => rt.dialogues.get(this)?.tick());
  }
  Say(text) {
    withRuntime((rt) => rt.say(this, text));
  }
  Cancel() {
    withRuntime((rt) => rt.dialogues.get(this)?.cancel());
  }
};
var LipSyncMixin = class {
  ParleyBeginPlay() {
    withRuntime((rt) => rt.beginLipSync(this));
  }
  ParleyEndPlay() {
    withRuntime((rt) => rt.endLipSync(this));
  }
  ParleyTick(deltaSeconds) {
    withRuntime((rt) => rt.lipSyncs.get(this)?.tick(deltaSeconds));
  }
};
var ExpressionMixin = class {
  ParleyBeginPlay() {
    withRuntime((rt) => rt.beginExpression(this));
  }
  ParleyEndPlay() {
    withRuntime((rt) => rt.endExpression(this));
  }
  ParleyTick(deltaSeconds) {
    withRuntime((rt) => rt.expressions.get(this)?.tick(deltaSeconds));
  }
  SetEmotion(emotion, intensity) {
    withRuntime((rt) => rt.expressions.get(this)?.setEmotion(emotion, intensity));
  }
};
var SubsystemMixin = class {
  SetAccessToken(token) {
    withRuntime((rt) => rt.connection.setToken(token.trim()));
  }
  Reconnect() {
    withRuntime((rt) => rt.connection.reconnectNow());
  }
  ParleyShutdown() {
    withRuntime((rt) => rt.shutdown());
  }
};
function installMixins(ue2, puerts2, runtime) {
  active = runtime;
  const config = { objectTakeByNative: true };
  puerts2.blueprint.mixin(ue2.ParleyDialogueManagerComponent, DialogueManagerMixin, config);
  puerts2.blueprint.mixin(ue2.ParleyLipSyncComponent, LipSyncMixin, config);
  puerts2.blueprint.mixin(ue2.ParleyExpressionComponent, ExpressionMixin, config);
  puerts2.blueprint.mixin(ue2.ParleySubsystem, SubsystemMixin, config);
}
function deactivateMixins(runtime) {
  if (active === runtime) active = null;
}
function uninstallMixins(ue2, puerts2, runtime) {
  deactivateMixins(runtime);
  for (const cls of [ue2.ParleyDialogueManagerComponent, ue2.ParleyLipSyncComponent, ue2.ParleyExpressionComponent, ue2.ParleySubsystem]) puerts2.blueprint.unmixin(cls);
}

// Plugin/Parley/TypeScript/adapters/parley-runtime.ts
var PLUGIN_VERSION = "0.1.0";
var ParleyRuntime = class {
  constructor(deps) {
    __publicField(this, "deps", deps);
    __publicField(this, "ue");
    __publicField(this, "host");
    __publicField(this, "settings");
    __publicField(this, "connection");
    __publicField(this, "faces");
    __publicField(this, "subsystem");
    __publicField(this, "dialogues", /* @__PURE__ */ new Map());
    __publicField(this, "lipSyncs", /* @__PURE__ */ new Map());
    __publicField(this, "expressions", /* @__PURE__ */ new Map());
    __publicField(this, "running", true);
    const { ue: ue2, puerts: puerts2 } = deps;
    this.ue = ue2;
    this.host = deps.host ?? globalHost();
    this.settings = readSettings(ue2, puerts2.argv.getByName("Settings") ?? null);
    this.subsystem = puerts2.argv.getByName("Subsystem") ?? null;
    this.faces = new FaceRegistry(this.host.log);
    const Ctor = deps.WebSocket;
    this.connection = new ParleyConnection({
      url: this.settings.url,
      token: this.settings.token,
      client: { name: "parley-ue5", version: PLUGIN_VERSION },
      connectTimeoutMs: this.settings.connectTimeoutMs,
      reconnect: this.settings.reconnect,
      createSocket: Ctor ? socketFactory(Ctor) : () => {
        throw new Error("this Puerts build has no WebSocket; rebuild Puerts with WithWebsocket = true (see the Parley README)");
      },
      host: this.host
    });
    this.connection.onState((state, detail) => {
      const line = `connection ${state}${detail ? ` (${detail})` : ""}`;
      if (state === "failed") this.host.log.error(line);
      else this.host.log.info(line);
      this.subsystem?.HandleConnectionState(connectionStateEnum(ue2, state), detail);
    });
    this.connection.onError((e) => this.broadcastError(e));
    installMixins(ue2, puerts2, this);
    if (!Ctor) this.broadcastError(localError("connect_failed", "this Puerts build has no WebSocket; rebuild Puerts with WithWebsocket = true", true));
    if (this.settings.connectOnStart) this.connection.start();
    this.host.log.info(`started (gateway ${this.settings.url})`);
  }
  dialogueOn(actor) {
    if (!actor) return void 0;
    const c = actor.GetComponentByClass(this.ue.ParleyDialogueManagerComponent.StaticClass());
    return c ? this.dialogues.get(c) : void 0;
  }
  beginDialogue(c) {
    this.dialogues.get(c)?.dispose();
    this.dialogues.set(c, new DialogueBinding(c, this));
  }
  endDialogue(c) {
    this.dialogues.get(c)?.dispose();
    this.dialogues.delete(c);
  }
  say(c, text) {
    const binding = this.dialogues.get(c);
    if (!binding) {
      this.host.log.warn(`Say() on ${c.GetName()} before it began play; the line was dropped`);
      return;
    }
    if (this.connection.state === "disconnected") this.connection.start();
    binding.say(text);
  }
  beginLipSync(c) {
    this.lipSyncs.get(c)?.dispose();
    this.lipSyncs.set(c, new LipSyncBinding(c, this));
  }
  endLipSync(c) {
    this.lipSyncs.get(c)?.dispose();
    this.lipSyncs.delete(c);
  }
  beginExpression(c) {
    this.expressions.get(c)?.dispose();
    this.expressions.set(c, new ExpressionBinding(c, this));
  }
  endExpression(c) {
    this.expressions.get(c)?.dispose();
    this.expressions.delete(c);
  }
  /** Runs a mixin body; an exception is logged with its stack instead of unwinding into the engine. */
  guard(fn) {
    if (!this.running) return;
    try {
      fn(this);
    } catch (err) {
      this.host.log.error(`script error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
  /** The game instance is going away: close the connection, release every face. */
  shutdown() {
    if (!this.running) return;
    for (const b of this.lipSyncs.values()) b.dispose();
    for (const b of this.expressions.values()) b.dispose();
    for (const b of this.dialogues.values()) b.dispose();
    this.lipSyncs.clear();
    this.expressions.clear();
    this.dialogues.clear();
    this.connection.stop("the game is shutting down");
    this.running = false;
    deactivateMixins(this);
  }
  /** Shuts down and removes the mixins (tests, hot reload). */
  uninstall() {
    this.shutdown();
    uninstallMixins(this.deps.ue, this.deps.puerts, this);
  }
  broadcastError(e) {
    this.host.log.warn(`${e.code}: ${e.message}`);
    for (const b of this.dialogues.values()) b.onError(e);
  }
};
function startParley(deps) {
  return new ParleyRuntime(deps);
}

// Plugin/Parley/TypeScript/main.ts
var ue = require("ue");
var puerts = require("puerts");
var WebSocketCtor = globalThis.WebSocket;
startParley({ ue, puerts, WebSocket: WebSocketCtor });
//# sourceMappingURL=parley-main.js.map
