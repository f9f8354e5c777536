import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { Template } from 'aws-cdk-lib/assertions';
import { BaseImage, ExtensionImageLayer, LambdaContainerFunction } from '../../src';
import { knownFiles } from '../../src/private/layer-plan';
import { contextOf, newStack, tempTree } from '../util';

describe('zipFiles', () => {
  test('fromLayerAsset reads a layer .zip: paths under /opt, unix modes kept', () => {
    const { app, stack } = newStack({ 'aws:cdk:enable-asset-metadata': true });
    const zip = new AdmZip();
    zip.addFile('python/shared.py', Buffer.from('SHARED = 1\n'), '', 0o644 * 0x10000);
    zip.addFile('extensions/agent', Buffer.from('#!/bin/sh\n'), '', 0o755 * 0x10000);
    const zipPath = path.join(tempTree({}), 'layer.zip');
    zip.writeZip(zipPath);
    new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromLayerAsset(zipPath)] });
    const context = contextOf(app, Template.fromStack(stack));
    const [layerDir] = fs.readdirSync(path.join(context, 'layers'));
    expect(fs.readFileSync(path.join(context, 'layers', layerDir, 'opt', 'python', 'shared.py'), 'utf8')).toBe('SHARED = 1\n');
    expect(fs.statSync(path.join(context, 'layers', layerDir, 'opt', 'extensions', 'agent')).mode % 0o1000).toBe(0o755);
    expect(fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8')).toMatch(/^COPY layers\/0-[0-9a-f]{16}\/ \/$/m);
  });

  test('a zip entry outside the layer is refused', () => {
    const zip = new AdmZip();
    zip.addFile('ok.txt', Buffer.from('x'));
    const zipPath = path.join(tempTree({}), 'evil.zip');
    zip.writeZip(zipPath);
    // adm-zip normalises names on add: write the traversal name into the archive directly.
    fs.writeFileSync(zipPath, Buffer.from(fs.readFileSync(zipPath).toString('latin1').replace(/ok\.txt/g, '../o.t'), 'latin1'));
    const { stack } = newStack();
    expect(() => new LambdaContainerFunction(stack, 'Fn', { baseImage: BaseImage.python('3.13'), entry: tempTree({ 'app.py': '' }), cmd: ['app.handler'], imageLayers: [ExtensionImageLayer.fromLayerAsset(zipPath)] }))
      .toThrow(/^TestStack\/Fn: invalid imageLayers\[0\] fromLayerAsset\(zipOrDirectory\) ".*\.zip": its entry "\.\.\/o\.t" points outside the layer\. Fix: rebuild the \.zip with relative paths\.$/);
  });
});

describe('directoryFiles', () => {
  test('fromDirectory leaves out what exclude names', () => {
    const dir = tempTree({ 'python/lib.py': 'X = 1\n', 'python/__pycache__/lib.cpython-313.pyc': 'x', 'README.md': '# layer\n' });
    const plan = ExtensionImageLayer.fromDirectory(dir, { exclude: ['**/__pycache__', '*.md'] })._plan();
    expect(knownFiles(plan).map(f => f.relativePath)).toEqual(['python/lib.py']);
    expect(knownFiles(ExtensionImageLayer.fromDirectory(dir)._plan()).map(f => f.relativePath)).toEqual(['README.md', 'python/__pycache__/lib.cpython-313.pyc', 'python/lib.py']);
  });
});
